"""Libcloud's CloudStack compute driver: locations, its way of signing, its errors.

list_locations() is listZones (the driver made with host/port/path, and with
url= plus secure=False). driver._sync_request() is the driver's own way to
send any command (every driver method goes through it), used here for values and
names that Libcloud signs differently from 4.1 (~ [ ] unencoded, names sorted
lowercased), and for the errors Libcloud raises.
"""
from urllib.parse import urlsplit

from libcloud.common.types import InvalidCredsError, ProviderError
from libcloud.compute.providers import Provider, get_driver

from common import args, emit

a = args()
url = urlsplit(a["endpoint"])
CloudStack = get_driver(Provider.CLOUDSTACK)


def driver(secret=None):
    return CloudStack(a["apiKey"], secret or a["secretKey"], host=url.hostname,
                      port=url.port, path=url.path, secure=False)


def outcome(call):
    try:
        return {"status": 200, "reply": call()}
    except InvalidCredsError as e:
        return {"status": 401, "error": "InvalidCredsError", "message": e.value}
    except ProviderError as e:
        return {"status": e.http_code, "error": "ProviderError", "message": e.value}


locations = driver().list_locations()
result = {
    "locations": [{"id": l.id, "name": l.name, "country": l.country} for l in locations],
    "by_url": [l.name for l in CloudStack(a["apiKey"], a["secretKey"], url=a["endpoint"],
                                          secure=False).list_locations()],
    "by_id_mixed_case": outcome(lambda: driver()._sync_request(
        "listZones", params={"Id": locations[0].id})),
    "unencoded_chars": outcome(lambda: driver()._sync_request(
        "listZones", params={"keyword": "demo~[x] *"})),
    "wrong_secret": outcome(lambda: driver("not-the-secret").list_locations()),
    "bad_parameter": outcome(lambda: driver()._sync_request("listZones", params={"id": "nope"})),
    "denied": outcome(lambda: driver()._sync_request("listConfigurations")),
}
emit(result)
