"""Libcloud's CloudStack compute driver: the SSH key pair lifecycle.

create_key_pair() is createSSHKeyPair, import_key_pair_from_string() is
registerSSHKeyPair, list_key_pairs() and get_key_pair() are listSSHKeyPairs,
delete_key_pair() is deleteSSHKeyPair (Libcloud needs success == "true").
"""
from urllib.parse import urlsplit

from libcloud.common.types import ProviderError
from libcloud.compute.providers import Provider, get_driver
from libcloud.compute.types import KeyPairDoesNotExistError

from common import args, emit

a = args()
url = urlsplit(a["endpoint"])
driver = get_driver(Provider.CLOUDSTACK)(a["apiKey"], a["secretKey"], host=url.hostname,
                                         port=url.port, path=url.path, secure=False)


def shown(pair):
    return {"name": pair.name, "fingerprint": pair.fingerprint,
            "has_private_key": bool(pair.private_key and "PRIVATE KEY" in pair.private_key)}


result = {"before": [shown(p) for p in driver.list_key_pairs()]}
created = driver.create_key_pair(a["createName"])
result["created"] = shown(created)
imported = driver.import_key_pair_from_string(a["importName"], a["publicKey"])
result["imported"] = shown(imported)
result["listed"] = sorted((shown(p) for p in driver.list_key_pairs()), key=lambda p: p["name"])
result["got"] = shown(driver.get_key_pair(a["importName"]))
try:
    driver.create_key_pair(a["createName"])
    result["duplicate"] = {"status": 200}
except ProviderError as e:
    result["duplicate"] = {"status": e.http_code, "message": e.value}
result["deleted"] = [driver.delete_key_pair(created), driver.delete_key_pair(imported)]
result["after"] = [shown(p) for p in driver.list_key_pairs()]
try:
    driver.get_key_pair(a["importName"])
    result["get_deleted"] = "found"
except KeyPairDoesNotExistError:
    result["get_deleted"] = "KeyPairDoesNotExistError"
emit(result)
