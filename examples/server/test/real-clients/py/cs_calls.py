"""Runs the cs calls the test lists, in order, and prints each outcome.

Input: {"endpoint", "apiKey", "secretKey", "calls": [{"command", "params"}]}.
A call whose params hold "fetch_result": true makes cs poll queryAsyncJobResult
until the job ends and return its jobresult. An outcome is {"status": 200,
"reply": ...} or, when cs raises, the HTTP status and the error it carries.
"""
from cs import CloudStack, CloudStackApiException, CloudStackException

from common import args, emit

a = args()
cs = CloudStack(a["endpoint"], a["apiKey"], a["secretKey"], timeout=10,
                poll_interval=0.2, job_timeout=30)


def outcome(command, params):
    try:
        return {"status": 200, "reply": getattr(cs, command)(**params)}
    except CloudStackApiException as e:
        return {"status": e.response.status_code, "error": e.error, "message": e.args[0]}
    except CloudStackException as e:
        return {"status": e.response.status_code, "message": " ".join(map(str, e.args))}


emit([outcome(call["command"], call.get("params", {})) for call in a["calls"]])
