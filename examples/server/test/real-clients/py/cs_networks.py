"""cs (signature version 3) against the server's advanced zone: the tenant creates a network,
deploys a VM on it (networkids), lists networks and public IPs with fetch_list=True, acquires an
address and opens a firewall port with fetch_result=True, restarts the network; the root admin
lists the network's router and stops, starts and reboots it (jobs answering the domainrouter).
A job refused by the server raises with its jobresult."""
from cs import CloudStack, CloudStackException

from common import args, emit

a = args()


def client(key, secret):
    return CloudStack(a["endpoint"], key, secret, timeout=30, job_timeout=60, poll_interval=0.2)


tenant = client(a["apiKey"], a["secretKey"])
admin = client(a["adminApiKey"], a["adminSecretKey"])
out = {}

network = tenant.createNetwork(name="cs-net", displaytext="cs network", zoneid=a["zoneId"],
                               networkofferingid=a["offeringId"], gateway="10.9.0.1",
                               netmask="255.255.255.0")["network"]
out["created"] = {k: network.get(k) for k in ("id", "name", "state", "cidr", "type", "acltype")}
vm = tenant.deployVirtualMachine(zoneid=a["zoneId"], templateid=a["templateId"],
                                 serviceofferingid=a["serviceOfferingId"], name="cs-net-vm",
                                 networkids=network["id"], fetch_result=True)["virtualmachine"]
out["vm_nic"] = {k: vm["nic"][0].get(k) for k in ("networkid", "networkname", "ipaddress", "broadcasturi", "type")}
out["networks"] = [{k: n.get(k) for k in ("id", "name", "state", "broadcasturi")}
                   for n in tenant.listNetworks(fetch_list=True)]
ip = tenant.associateIpAddress(networkid=network["id"], fetch_result=True)["ipaddress"]
out["ip"] = {k: ip.get(k) for k in ("id", "ipaddress", "associatednetworkid", "issourcenat", "state")}
rule = tenant.createFirewallRule(ipaddressid=ip["id"], protocol="tcp", startport=443, endport=443,
                                 cidrlist="0.0.0.0/0", fetch_result=True)["firewallrule"]
out["rule"] = {k: rule.get(k) for k in ("protocol", "startport", "endport", "state", "ipaddress")}
out["public_ips"] = sorted(p["ipaddress"] for p in tenant.listPublicIpAddresses(fetch_list=True))
restarted = tenant.restartNetwork(id=network["id"], cleanup=False, fetch_result=True)["network"]
out["restarted"] = {k: restarted.get(k) for k in ("id", "state")}

routers = admin.listRouters(networkid=network["id"], listall=True, fetch_list=True)
out["routers"] = [{k: r.get(k) for k in ("id", "state", "guestnetworkid", "guestipaddress", "publicip")} for r in routers]
router_id = routers[0]["id"]
out["stopped"] = admin.stopRouter(id=router_id, fetch_result=True)["domainrouter"]["state"]
out["started"] = admin.startRouter(id=router_id, fetch_result=True)["domainrouter"]["state"]
out["rebooted"] = admin.rebootRouter(id=router_id, fetch_result=True)["domainrouter"]["state"]

try:
    tenant.deleteNetwork(id=network["id"], fetch_result=True)
    out["delete_in_use"] = {"raised": False}
except CloudStackException as e:
    result = getattr(e, "error", {}) or {}
    out["delete_in_use"] = {"raised": True, "result": result}

emit(out)
