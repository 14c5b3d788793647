"""cs fetch_list=True walks every page of a list command until it has `count` rows."""
from cs import CloudStack

from common import Recording, args, emit, query_of

a = args()
pages = []


def remember(response):
    sent = query_of(response.request.url)
    body = response.json()["listconfigurationsresponse"]
    pages.append({"page": sent.get("page"), "pagesize": sent.get("pagesize"),
                  "count": body.get("count"), "rows": len(body.get("configuration", []))})


cs = CloudStack(a["endpoint"], a["apiKey"], a["secretKey"], session=Recording(remember), timeout=10)
rows = cs.listConfigurations(fetch_list=True, pagesize=a["pagesize"])
emit({"names": [row["name"] for row in rows], "pages": pages})
