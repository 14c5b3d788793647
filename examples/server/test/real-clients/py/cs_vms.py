"""cs deploys VMs with fetch_result=True (polls queryAsyncJobResult until jobresultcode 0) and
walks listVirtualMachines with fetch_list=True over several small pages."""
from cs import CloudStack, CloudStackException

from common import Recording, args, emit, query_of

a = args()
pages = []


def remember(response):
    sent = query_of(response.request.url)
    if sent.get("command") != "listVirtualMachines":
        return
    body = response.json()["listvirtualmachinesresponse"]
    pages.append({"page": sent.get("page"), "pagesize": sent.get("pagesize"),
                  "count": body.get("count"), "rows": len(body.get("virtualmachine", []))})


cs = CloudStack(a["endpoint"], a["apiKey"], a["secretKey"], session=Recording(remember),
                timeout=30, job_timeout=60, poll_interval=0.2)
deployed = []
for i in range(a["vms"]):
    vm = cs.deployVirtualMachine(zoneid=a["zoneId"], templateid=a["templateId"],
                                 serviceofferingid=a["offeringId"], name="cs-vm-%d" % i,
                                 fetch_result=True)
    deployed.append({"id": vm["virtualmachine"]["id"], "name": vm["virtualmachine"]["name"],
                     "state": vm["virtualmachine"]["state"]})

rows = cs.listVirtualMachines(fetch_list=True, pagesize=a["pagesize"])

try:
    cs.deployVirtualMachine(zoneid=a["zoneId"], templateid=a["templateId"],
                            serviceofferingid=a["offeringId"], name="cs-vm-0", fetch_result=True)
    duplicate = {"raised": False}
except CloudStackException as e:
    error = getattr(e, "error", {}) or {}
    duplicate = {"raised": True, "status": e.response.status_code, "errortext": error.get("errortext")}

emit({"deployed": deployed, "listed": [{"id": r["id"], "name": r["name"], "state": r["state"]} for r in rows],
      "pages": pages, "duplicate": duplicate})
