"""cs resets a VM's password: deployVirtualMachine, stopVirtualMachine and
resetPasswordForVirtualMachine, each with fetch_result=True (polls queryAsyncJobResult until
jobresultcode 0); the reset's job result shows the new password. A reset while the VM runs is
a failed job, which cs raises."""
from cs import CloudStack, CloudStackException

from common import args, emit

a = args()
cs = CloudStack(a["endpoint"], a["apiKey"], a["secretKey"], timeout=30, job_timeout=60, poll_interval=0.2)
vm = cs.deployVirtualMachine(zoneid=a["zoneId"], templateid=a["templateId"],
                             serviceofferingid=a["offeringId"], name=a["name"], fetch_result=True)["virtualmachine"]

try:
    cs.resetPasswordForVirtualMachine(id=vm["id"], fetch_result=True)
    while_running = {"raised": False}
except CloudStackException as e:
    error = getattr(e, "error", {}) or {}
    while_running = {"raised": True, "errorcode": error.get("errorcode"), "errortext": error.get("errortext")}

stopped = cs.stopVirtualMachine(id=vm["id"], fetch_result=True)["virtualmachine"]
reset = cs.resetPasswordForVirtualMachine(id=vm["id"], fetch_result=True)["virtualmachine"]
listed = cs.listVirtualMachines(id=vm["id"])["virtualmachine"][0]

emit({"id": vm["id"], "deployed_state": vm["state"], "while_running": while_running,
      "stopped_state": stopped["state"], "reset": {"id": reset["id"], "state": reset["state"],
                                                   "password": reset.get("password")},
      "listed_has_password": "password" in listed})
