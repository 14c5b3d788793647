"""Libcloud's way of running an async command: the accept reply's jobid, then
queryAsyncJobResult until jobstatus is 1 (returns jobresult) or 2 (raises).

driver._async_request() is what create_node, destroy_node, create_volume and the
other async driver methods call; the host commands are the async ones that exist.
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
driver.connection.timeout = 30


def outcome(command, **params):
    try:
        return {"status": 200, "reply": driver._async_request(command, params=params)}
    except ProviderError as e:
        return {"status": e.http_code, "error": "ProviderError", "message": e.value}
    except Exception as e:  # a failed job (jobstatus 2): Libcloud raises a bare Exception(errortext)
        return {"error": type(e).__name__, "message": str(e)}


emit({
    "reconnect": outcome("reconnectHost", id=a["hostId"]),
    "maintenance": outcome("prepareHostForMaintenance", id=a["hostId"]),
    "maintenance_again": outcome("prepareHostForMaintenance", id=a["hostId"]),
    "cancel": outcome("cancelHostMaintenance", id=a["hostId"]),
})
