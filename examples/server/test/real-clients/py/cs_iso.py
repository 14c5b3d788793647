"""cs with the ISO and guest OS calls: listOsCategories and listOsTypes(oscategoryid) with
fetch_list, registerIso (sync, a list reply), then attachIso and detachIso with fetch_result=True
on a deployed VM (each polls queryAsyncJobResult); attaching a second time is a failed job,
which cs raises. listVirtualMachines shows the ISO while attached.
"""
import time

from cs import CloudStack, CloudStackException

from common import args, emit

a = args()
cs = CloudStack(a["endpoint"], a["apiKey"], a["secretKey"], timeout=30, job_timeout=60, poll_interval=0.2)

categories = cs.listOsCategories(fetch_list=True)
category = next(c for c in categories if c["name"] == a["categoryName"])
types = cs.listOsTypes(oscategoryid=category["id"], fetch_list=True)
os_type = next(t for t in types if t["description"] == a["osTypeDescription"])

iso = cs.registerIso(name=a["isoName"], displaytext=a["isoName"] + " CD", url=a["isoUrl"],
                     zoneid=a["zoneId"], ostypeid=os_type["id"])["iso"][0]
deadline = time.time() + 60
while not cs.listIsos(id=iso["id"], isofilter="self")["iso"][0]["isready"]:
    if time.time() > deadline:
        raise SystemExit("the ISO never became ready")
    time.sleep(0.2)

vm = cs.deployVirtualMachine(zoneid=a["zoneId"], templateid=a["templateId"],
                             serviceofferingid=a["offeringId"], name=a["vmName"], fetch_result=True)["virtualmachine"]
attached = cs.attachIso(id=iso["id"], virtualmachineid=vm["id"], fetch_result=True)["virtualmachine"]
listed = cs.listVirtualMachines(id=vm["id"])["virtualmachine"][0]
try:
    cs.attachIso(id=iso["id"], virtualmachineid=vm["id"], fetch_result=True)
    again = {"raised": False}
except CloudStackException as e:
    error = getattr(e, "error", {}) or {}
    again = {"raised": True, "errorcode": error.get("errorcode"), "errortext": error.get("errortext")}
detached = cs.detachIso(virtualmachineid=vm["id"], fetch_result=True)["virtualmachine"]
cs.destroyVirtualMachine(id=vm["id"], fetch_result=True)

emit({"categories": [{"id": c["id"], "name": c["name"]} for c in categories],
      "category_id": category["id"], "types": [{"id": t["id"], "oscategoryid": t.get("oscategoryid"),
                                                "description": t["description"]} for t in types],
      "iso_id": iso["id"], "vm_id": vm["id"],
      "attached": {k: attached.get(k) for k in ("id", "isoid", "isoname", "isodisplaytext", "state")},
      "listed": {k: listed.get(k) for k in ("isoid", "isoname")},
      "again": again, "detached_has_iso": "isoid" in detached})
