"""cs signs with signatureVersion=3 and expires; the server verifies both.

Prints what cs sent on a plain call, and how the server answered a call whose
expiry is in the past, one that expires in 2099 (4.1 sets no upper bound), one whose expires was changed after signing, one signed
with the wrong secret, a POST (form body) call, and values that cs leaves
unencoded when it signs (~ and *).
"""
from datetime import datetime, timedelta, timezone
from urllib.parse import urlencode

from cs import CloudStack, CloudStackApiException, CloudStackException

from common import Recording, args, emit, query_of

a = args()
sent = []


def remember(response):
    sent.append(query_of(response.request.url))


class MovesExpiry(Recording):
    """Changes expires after cs signed the request, keeping the signature."""

    def send(self, request, **kwargs):
        query = query_of(request.url)
        query["expires"] = "2099-01-01T00:00:00+0000"
        request.url = a["endpoint"] + "?" + urlencode(query)
        return super().send(request, **kwargs)


def client(secret=None, session=Recording, **options):
    return CloudStack(a["endpoint"], a["apiKey"], secret or a["secretKey"],
                      session=session(remember), timeout=10, **options)


def outcome(call):
    """200 and the reply, or the status and error cs raised."""
    try:
        return {"status": 200, "reply": call()}
    except CloudStackApiException as e:
        return {"status": e.response.status_code, "error": e.error, "message": e.args[0]}
    except CloudStackException as e:
        return {"status": e.response.status_code, "message": " ".join(map(str, e.args))}


past = (datetime.now(timezone.utc) - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%S+0000")

result = {}
result["plain"] = outcome(lambda: client().listCapabilities())
result["plain_sent"] = sent[-1]
result["expired"] = outcome(lambda: client().listCapabilities(signatureVersion="3", expires=past))
result["expired_sent"] = sent[-1]
result["far_future"] = outcome(lambda: client().listCapabilities(signatureVersion="3", expires="2099-01-01T00:00:00+0000"))
result["moved_expiry"] = outcome(lambda: client(session=MovesExpiry).listCapabilities())
result["moved_expiry_sent"] = sent[-1]
result["wrong_secret"] = outcome(lambda: client(secret="not-the-secret").listCapabilities())
result["post"] = outcome(lambda: client(method="post").listZones())
result["unencoded_chars"] = outcome(lambda: client().listZones(keyword="demo*~"))
result["unencoded_chars_sent"] = sent[-1]
emit(result)
