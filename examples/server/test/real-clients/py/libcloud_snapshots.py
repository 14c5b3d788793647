"""Libcloud's snapshot and template calls against the server: create_volume_snapshot(volume)
(createSnapshot, an async-create job), list_snapshots() (listSnapshots), ex_list_os_types()
(listOsTypes), ex_create_snapshot_template(snapshot, name, ostypeid) (createTemplate, an
async-create job reading jobresult.template), list_images() (the new template among them), a
node created from the new template, and destroy_volume_snapshot(snapshot) (deleteSnapshot).
The snapshot is of the first node's ROOT volume.
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

image = next(i for i in driver.list_images() if i.name == a["imageName"])
size = next(s for s in driver.list_sizes() if s.name == a["sizeName"])
location = next(l for l in driver.list_locations() if l.name == a["zoneName"])
node = driver.create_node(name=a["nodeName"], size=size, image=image, location=location)
driver.ex_start(node)
root = next(v for v in driver.list_volumes(node) if v.extra.get("volume_type") == "ROOT")

snapshot = driver.create_volume_snapshot(root)
created = {"id": snapshot.id, "name": snapshot.extra.get("name"), "volume_id": snapshot.extra.get("volume_id")}
listed = [{"id": s.id, "volume_id": s.extra.get("volume_id")} for s in driver.list_snapshots()]

os_types = driver.ex_list_os_types()
os_type = next(o for o in os_types if o["description"] == a["osTypeDescription"])
template = driver.ex_create_snapshot_template(snapshot, a["templateName"], os_type["id"])
made = {"id": template.id, "name": template.name, "hypervisor": template.extra["hypervisor"],
        "format": template.extra["format"], "os": template.extra["os"],
        "displaytext": template.extra["displaytext"]}
images = [i.id for i in driver.list_images()]

clone = driver.create_node(name=a["cloneName"], size=size, image=template, location=location)
driver.ex_start(clone)
clone_state = str(next(n for n in driver.list_nodes() if n.id == clone.id).state)

destroyed = driver.destroy_volume_snapshot(snapshot)
try:
    after_destroy = [s.id for s in driver.list_snapshots()]
    empty_list_crashed = False
except KeyError:
    # 4.1 answers an empty list as {} and Libcloud's list_snapshots indexes ['snapshot'] (as list_locations does).
    after_destroy = []
    empty_list_crashed = True
driver.destroy_node(clone)
driver.destroy_node(node)

emit({"node_id": node.id, "root_id": root.id, "snapshot": created, "listed": listed,
      "os_type": {"id": os_type["id"], "oscategoryid": os_type.get("oscategoryid"),
                  "description": os_type["description"]},
      "template": made, "images": images, "clone_id": clone.id, "clone_image": clone.extra.get("image_id"),
      "clone_state": clone_state, "destroyed": destroyed, "after_destroy": after_destroy,
      "empty_list_crashed": empty_list_crashed})
