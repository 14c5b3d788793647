"""Libcloud's CloudStack compute driver: security groups (guide 13.7).

ex_create_security_group() is createSecurityGroup (sync, the securitygroup dict),
ex_authorize_security_group_ingress() is authorizeSecurityGroupIngress (a job answering the
group), ex_revoke_security_group_ingress() is revokeSecurityGroupIngress (whose response name
has no "response" suffix), ex_list_security_groups() is listSecurityGroups (raw dicts) and
ex_delete_security_group() is deleteSecurityGroup (success "true").
"""
from urllib.parse import urlsplit

from libcloud.common.types import ProviderError
from libcloud.compute.providers import Provider, get_driver

from common import args, emit

a = args()
url = urlsplit(a["endpoint"])
driver = get_driver(Provider.CLOUDSTACK)(a["apiKey"], a["secretKey"], host=url.hostname,
                                         port=url.port, path=url.path, secure=False)


def names():
    return sorted(g["name"] for g in driver.ex_list_security_groups())


def outcome(call):
    try:
        return {"status": 200, "reply": call()}
    except ProviderError as e:
        return {"status": e.http_code, "message": e.value}


result = {"before": names()}
result["created"] = driver.ex_create_security_group(a["name"], description="made by libcloud")
result["http"] = driver.ex_authorize_security_group_ingress(a["name"], "TCP", "0.0.0.0/0", 80)
result["ping"] = driver.ex_authorize_security_group_ingress(a["name"], "ICMP", "10.0.0.0/8")
result["bad_protocol"] = outcome(lambda: driver.ex_authorize_security_group_ingress(a["name"], "GRE", "0.0.0.0/0"))
result["listed"] = [g for g in driver.ex_list_security_groups() if g["name"] == a["name"]]
http_rule = [r for r in result["ping"]["ingressrule"] if r["protocol"] == "tcp"][0]
result["revoked"] = driver.ex_revoke_security_group_ingress(http_rule["ruleid"])
result["after_revoke"] = [r["protocol"] for g in driver.ex_list_security_groups() if g["name"] == a["name"] for r in g.get("ingressrule", [])]
result["delete_default"] = outcome(lambda: driver.ex_delete_security_group("default"))
result["deleted"] = driver.ex_delete_security_group(a["name"])
result["after"] = names()
emit(result)
