"""Libcloud's network calls against the server's advanced zone: create_node without networks (the
account's isolated network is created and implemented with its router), list_nodes (which also
asks listPublicIpAddresses, listPortForwardingRules and listIpForwardingRules),
ex_list_networks / ex_create_network / create_node(networks=[...]) /
ex_delete_network, ex_allocate_public_ip / ex_list_public_ips / ex_release_public_ip,
ex_create_port_forwarding_rule / ex_list_port_forwarding_rules / ex_delete_port_forwarding_rule,
ex_create_firewall_rule / ex_list_firewall_rules / ex_delete_firewall_rule and
ex_create_egress_firewall_rule / ex_list_egress_firewall_rules / ex_delete_egress_firewall_rule.
"""
from urllib.parse import urlsplit

from libcloud.common.types import ProviderError
from libcloud.compute.drivers.cloudstack import CloudStackNetworkOffering
from libcloud.compute.providers import Provider, get_driver

from common import args, emit

a = args()
url = urlsplit(a["endpoint"])
driver = get_driver(Provider.CLOUDSTACK)(a["apiKey"], a["secretKey"], host=url.hostname,
                                         port=url.port, path=url.path, secure=False)
driver.connection.poll_interval = 0.2
driver.connection.timeout = 60


def node_shown(node):
    return {"id": node.id, "name": node.name, "state": str(node.state),
            "private_ips": node.private_ips, "public_ips": sorted(node.public_ips),
            "ip_addresses": sorted(x.address for x in node.extra.get("ip_addresses", [])),
            "port_forwarding_rules": sorted(r.id for r in node.extra.get("port_forwarding_rules", [])),
            "ip_forwarding_rules": sorted(r.id for r in node.extra.get("ip_forwarding_rules", []))}


def net_shown(net):
    return {"id": net.id, "name": net.name, "displaytext": net.displaytext,
            "networkofferingid": net.networkofferingid, "zoneid": net.zoneid,
            "state": net.extra.get("state"), "type": net.extra.get("type"),
            "traffic_type": net.extra.get("traffic_type"), "is_system": net.extra.get("is_system"),
            "acl_type": net.extra.get("acl_type"), "network_domain": net.extra.get("network_domain"),
            "can_use_for_deploy": net.extra.get("can_use_for_deploy"),
            "gateway": net.extra.get("gateway"), "zone_name": net.extra.get("zone_name")}


def addr_shown(addr):
    return {"id": addr.id, "address": addr.address,
            "associated_network_id": addr.associated_network_id or None,
            "virtualmachine_id": addr.virtualmachine_id}


def fw_shown(rule):
    return {"id": rule.id, "address": rule.address.address if rule.address else None,
            "cidr_list": rule.cidr_list, "protocol": rule.protocol,
            "start_port": rule.start_port, "end_port": rule.end_port,
            "icmp_type": rule.icmp_type, "icmp_code": rule.icmp_code}


def egress_shown(rule):
    return {"id": rule.id, "network_id": rule.network_id, "cidr_list": rule.cidr_list,
            "protocol": rule.protocol, "start_port": rule.start_port, "end_port": rule.end_port}


def pf_shown(rule):
    return {"id": rule.id, "node_id": rule.node.id, "address": rule.address.address,
            "protocol": rule.protocol, "public_port": rule.public_port,
            "private_port": rule.private_port, "public_end_port": rule.public_end_port,
            "private_end_port": rule.private_end_port}


def node_named(name):
    return next(n for n in driver.list_nodes() if n.name == name)


def attempt(fn):
    try:
        fn()
        return {"status": 200}
    except ProviderError as e:
        return {"status": e.http_code, "message": e.value}
    except Exception as e:  # Libcloud raises a plain Exception for a failed job
        return {"status": 0, "message": str(e)}


image = next(i for i in driver.list_images() if i.name == a["imageName"])
size = next(s for s in driver.list_sizes() if s.name == a["sizeName"])
location = next(l for l in driver.list_locations() if l.name == a["zoneName"])
result = {}

# A node without networks: the account's isolated network is made and implemented at its start.
created = driver.create_node(name=a["nodeName"], size=size, image=image, location=location,
                             ex_start_vm=True)
result["created"] = node_shown(created)
result["networks"] = [net_shown(n) for n in driver.ex_list_networks()]
node = node_named(a["nodeName"])
result["listed"] = node_shown(node)
network_id = result["networks"][0]["id"]

# Public IPs.
addr = driver.ex_allocate_public_ip(location=location)
result["allocated"] = addr_shown(addr)
result["public_ips"] = sorted((addr_shown(x) for x in driver.ex_list_public_ips()),
                              key=lambda x: x["address"])

# Ingress firewall and egress rules.
fw = driver.ex_create_firewall_rule(addr, "0.0.0.0/0", "TCP", start_port=80, end_port=81)
result["firewall_created"] = fw_shown(fw)
icmp = driver.ex_create_firewall_rule(addr, "10.0.0.0/8", "ICMP", icmp_type=8, icmp_code=0)
result["firewall_listed"] = sorted((fw_shown(r) for r in driver.ex_list_firewall_rules()),
                                   key=lambda r: r["protocol"])
egress = driver.ex_create_egress_firewall_rule(network_id, "0.0.0.0/0", "TCP", start_port=443,
                                               end_port=443)
result["egress_created"] = egress_shown(egress)
result["egress_listed"] = [egress_shown(r) for r in driver.ex_list_egress_firewall_rules()]

# Port forwarding (Libcloud sends openfirewall=True): the node then shows the address.
if a.get("portForwarding"):
    pf = driver.ex_create_port_forwarding_rule(node, addr, 22, 2222, "TCP")
    result["pf_created"] = pf_shown(pf)
    result["pf_listed"] = [pf_shown(r) for r in driver.ex_list_port_forwarding_rules()]
    node = node_named(a["nodeName"])
    result["listed_with_pf"] = node_shown(node)
    result["firewall_with_pf"] = sorted((fw_shown(r) for r in driver.ex_list_firewall_rules()),
                                        key=lambda r: (r["protocol"], r["start_port"] or ""))
    result["release_with_rules"] = attempt(lambda: driver.ex_release_public_ip(addr))
    rule = next(r for r in node.extra["port_forwarding_rules"] if r.id == pf.id)
    result["pf_deleted"] = driver.ex_delete_port_forwarding_rule(node, rule)
    result["pf_after_delete"] = [pf_shown(r) for r in driver.ex_list_port_forwarding_rules()]

result["firewall_deleted"] = [driver.ex_delete_firewall_rule(fw), driver.ex_delete_firewall_rule(icmp)]
result["egress_deleted"] = driver.ex_delete_egress_firewall_rule(egress)
result["firewall_after_delete"] = [fw_shown(r) for r in driver.ex_list_firewall_rules()]
result["released"] = driver.ex_release_public_ip(addr)
result["public_ips_after_release"] = [addr_shown(x) for x in driver.ex_list_public_ips()]

# A network of its own, a node on it, and the network deleted once empty. ex_list_network_offerings
# is not used: it indexes serviceofferingid, which 4.1 (and this server) omits for offerings whose
# routers use the default system offering, as the defaults do.
offering = CloudStackNetworkOffering(a["offeringName"], "", "Isolated", a["offeringId"], None, False,
                                     driver)
own = driver.ex_create_network("Libcloud tier", "lc-tier", offering, location,
                               gateway="10.5.0.1", netmask="255.255.255.0",
                               network_domain="tier.example")
result["own_network"] = net_shown(own)
on_own = driver.create_node(name=a["nodeName"] + "-tier", size=size, image=image,
                            location=location, networks=[own], ex_start_vm=True)
result["on_own"] = node_shown(node_named(a["nodeName"] + "-tier"))
result["networks_after"] = sorted((net_shown(n) for n in driver.ex_list_networks()),
                                  key=lambda n: n["name"])
spare = driver.ex_create_network("Spare", "lc-spare", offering, location)
result["deleted_spare"] = driver.ex_delete_network(spare)
result["network_names_after_delete"] = sorted(n.name for n in driver.ex_list_networks())
result["destroyed"] = [driver.destroy_node(on_own), driver.destroy_node(created)]
result["nodes_after_destroy"] = [n.name for n in driver.list_nodes()]

emit(result)
