"""Libcloud's CloudStack compute driver: sizes, disk offerings and resource limits.

list_sizes() is listServiceOfferings, ex_list_disk_offerings() is
listDiskOfferings, ex_limits() is listResourceLimits.
"""
from urllib.parse import urlsplit

from libcloud.compute.providers import Provider, get_driver

from common import args, emit

a = args()
url = urlsplit(a["endpoint"])
driver = get_driver(Provider.CLOUDSTACK)(a["apiKey"], a["secretKey"], host=url.hostname,
                                         port=url.port, path=url.path, secure=False)

emit({
    "sizes": [{"id": s.id, "name": s.name, "ram": s.ram, "cpu": s.extra["cpu"]}
              for s in driver.list_sizes()],
    "disk_offerings": [{"id": d.id, "name": d.name, "size": d.size, "customizable": d.customizable}
                       for d in driver.ex_list_disk_offerings()],
    "limits": driver.ex_limits(),
})
