"""Libcloud's CloudStack load-balancer driver against the server's advanced zone: three nodes are
created and started with the compute driver, then list_balancers (listLoadBalancerRules),
create_balancer (associateIpAddress, then createLoadBalancerRule called without waiting for its
job and listed at once, then assignToLoadBalancerRule for the first member),
balancer_attach_member, balancer_list_members (listLoadBalancerRuleInstances),
balancer_detach_member (a rule keeps at least two members) and destroy_balancer (deleteLoadBalancerRule, then disassociateIpAddress).
"""
from urllib.parse import urlsplit

from libcloud.compute.providers import Provider, get_driver
from libcloud.loadbalancer.base import Algorithm, Member
from libcloud.loadbalancer.providers import Provider as LbProvider
from libcloud.loadbalancer.providers import get_driver as get_lb_driver

from common import args, emit

a = args()
url = urlsplit(a["endpoint"])
compute = get_driver(Provider.CLOUDSTACK)(a["apiKey"], a["secretKey"], host=url.hostname,
                                          port=url.port, path=url.path, secure=False)
lb = get_lb_driver(LbProvider.CLOUDSTACK)(a["apiKey"], a["secretKey"], host=url.hostname,
                                          port=url.port, path=url.path, secure=False)
for driver in (compute, lb):
    driver.connection.poll_interval = 0.2
    driver.connection.timeout = 60


def balancer_shown(b):
    return {"id": b.id, "name": b.name, "state": b.state, "ip": b.ip, "port": str(b.port),
            "private_port": str(b.ex_private_port), "public_ip_id": b.ex_public_ip_id}


def member_shown(m):
    return {"id": m.id, "ip": m.ip, "port": str(m.port)}


image = next(i for i in compute.list_images() if i.name == a["imageName"])
size = next(s for s in compute.list_sizes() if s.name == a["sizeName"])
location = next(l for l in compute.list_locations() if l.name == a["zoneName"])
nodes = [compute.create_node(name=name, size=size, image=image, location=location, ex_start_vm=True)
         for name in a["nodeNames"]]
network = compute.ex_list_networks()[0]

result = {"node_ids": [n.id for n in nodes], "network_id": network.id}
result["before"] = [balancer_shown(b) for b in lb.list_balancers()]
balancer = lb.create_balancer(a["balancerName"], [Member(nodes[0].id, None, 80)], protocol="http",
                              port=80, algorithm=Algorithm.ROUND_ROBIN, location=location,
                              private_port=8080, network_id=network.id)
result["created"] = balancer_shown(balancer)
result["listed"] = [balancer_shown(b) for b in lb.list_balancers()]
result["got"] = balancer_shown(lb.get_balancer(balancer.id))
result["attached"] = [lb.balancer_attach_member(balancer, Member(n.id, None, 80)) for n in nodes[1:]]
result["members"] = sorted((member_shown(m) for m in lb.balancer_list_members(balancer)),
                           key=lambda m: m["ip"])
result["detached"] = lb.balancer_detach_member(balancer, Member(nodes[0].id, None, 80))
result["members_after_detach"] = [member_shown(m) for m in lb.balancer_list_members(balancer)]
lb.destroy_balancer(balancer)
result["after_destroy"] = [balancer_shown(b) for b in lb.list_balancers()]
result["public_ips_after_destroy"] = sorted(x.address for x in compute.ex_list_public_ips())
for node in nodes:
    compute.destroy_node(node)

emit(result)
