"""Libcloud's node lifecycle against the server: list_images (templatefilter=executable),
create_node (deployVirtualMachine as an async-create job, with a key pair and user data),
the node mapping of list_nodes (listVirtualMachines through _to_node), ex_start, reboot_node,
ex_stop and destroy_node. list_nodes() itself also calls listPublicIpAddresses and the
forwarding-rule lists; what it raises is reported as it is.
"""
from urllib.parse import urlsplit

from libcloud.common.types import ProviderError
from libcloud.compute.providers import Provider, get_driver

from common import args, emit

a = args()
url = urlsplit(a["endpoint"])
driver = get_driver(Provider.CLOUDSTACK)(a["apiKey"], a["secretKey"], host=url.hostname,
                                         port=url.port, path=url.path, secure=False)
driver.connection.poll_interval = 0.2
driver.connection.timeout = 60


def shown(node):
    return {"id": node.id, "name": node.name, "state": str(node.state),
            "private_ips": node.private_ips, "public_ips": node.public_ips,
            "keyname": node.extra.get("key_name"), "zone_id": node.extra.get("zone_id"),
            "image_id": node.extra.get("image_id"), "size_id": node.extra.get("size_id"),
            "created": bool(node.extra.get("created"))}


def listed():
    """What list_nodes maps: listVirtualMachines' items through the driver's _to_node."""
    vms = driver._sync_request("listVirtualMachines")
    return [shown(driver._to_node(data=vm)) for vm in vms.get("virtualmachine", [])]


images = driver.list_images()
image = next(i for i in images if i.name == a["imageName"])
size = next(s for s in driver.list_sizes() if s.name == a["sizeName"])
location = next(l for l in driver.list_locations() if l.name == a["zoneName"])
driver.create_key_pair(a["keyName"])

created = driver.create_node(name=a["nodeName"], size=size, image=image, location=location,
                             ex_keyname=a["keyName"], ex_userdata=a["userData"])
after_create = listed()
started_state = driver.ex_start(created)
after_start = listed()
rebooted = driver.reboot_node(created)
stopped_state = driver.ex_stop(created)
after_stop = listed()
started_again = driver.ex_start(created)
destroyed = driver.destroy_node(created)
after_destroy = listed()

try:
    nodes = driver.list_nodes()
    list_nodes = {"status": 200, "names": sorted(n.name for n in nodes)}
except ProviderError as e:
    list_nodes = {"status": e.http_code, "message": e.value}

emit({
    "images": [{"id": i.id, "name": i.name, "hypervisor": i.extra.get("hypervisor"),
                "format": i.extra.get("format"), "os": i.extra.get("os")} for i in images],
    "created": shown(created),
    "after_create": after_create,
    "started_state": started_state,
    "after_start": after_start,
    "rebooted": rebooted,
    "stopped_state": stopped_state,
    "after_stop": after_stop,
    "started_again": started_again,
    "destroyed": destroyed,
    "after_destroy": after_destroy,
    "list_nodes": list_nodes,
})
