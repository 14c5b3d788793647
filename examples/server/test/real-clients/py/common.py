"""Shared by the client scripts: read the test's input, print the result as JSON."""
import json
import sys
from urllib.parse import parse_qsl, urlsplit

import requests


def args():
    """The JSON object the test passed as the first argument."""
    return json.loads(sys.argv[1])


def emit(result):
    """Prints the result for the test to assert on."""
    json.dump(result, sys.stdout, sort_keys=True)
    sys.stdout.write("\n")


def query_of(url):
    """The parameters of a request URL, as a dict (last value wins)."""
    return dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))


class Recording(requests.Session):
    """A requests session that calls `seen(response)` for every reply (cs sends through it)."""

    def __init__(self, seen):
        super().__init__()
        self.seen = seen

    def send(self, request, **kwargs):
        response = super().send(request, **kwargs)
        self.seen(response)
        return response
