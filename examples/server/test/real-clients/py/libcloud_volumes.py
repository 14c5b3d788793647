"""Libcloud's volume calls against the server: create_volume(size, name, location) (listDiskOfferings,
then createVolume as an async-create job), list_volumes() and list_volumes(node) (listVolumes),
attach_volume(node, volume) and detach_volume(volume) (jobs), destroy_volume(volume) (sync
deleteVolume). The node is created and started first so that the attach places the volume on a pool.
"""
from urllib.parse import urlsplit

from libcloud.compute.providers import Provider, get_driver

from common import args, emit

a = args()
url = urlsplit(a["endpoint"])
driver = get_driver(Provider.CLOUDSTACK)(a["apiKey"], a["secretKey"], host=url.hostname,
                                         port=url.port, path=url.path, secure=False)
driver.connection.poll_interval = 0.2
driver.connection.timeout = 60


def shown(volume):
    return {"id": volume.id, "name": volume.name, "size": volume.size, "state": str(volume.state),
            "type": volume.extra.get("volume_type"), "instance_id": volume.extra.get("instance_id"),
            "device_id": volume.extra.get("device_id"), "zone_id": volume.extra.get("zone_id")}


image = next(i for i in driver.list_images() if i.name == a["imageName"])
size = next(s for s in driver.list_sizes() if s.name == a["sizeName"])
location = next(l for l in driver.list_locations() if l.name == a["zoneName"])
node = driver.create_node(name=a["nodeName"], size=size, image=image, location=location)
driver.ex_start(node)

volume = driver.create_volume(a["sizeGb"], a["volumeName"], location=location)
created = shown(volume)
after_create = [shown(v) for v in driver.list_volumes()]
attached = driver.attach_volume(node, volume)
on_node = [shown(v) for v in driver.list_volumes(node)]
detached = driver.detach_volume(volume)
after_detach = [shown(v) for v in driver.list_volumes()]
destroyed = driver.destroy_volume(volume)
after_destroy = [shown(v) for v in driver.list_volumes()]
driver.destroy_node(node)

emit({"node_id": node.id, "created": created, "after_create": after_create, "attached": attached,
      "on_node": on_node, "detached": detached, "after_detach": after_detach,
      "destroyed": destroyed, "after_destroy": after_destroy})
