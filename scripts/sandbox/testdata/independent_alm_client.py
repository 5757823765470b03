#!/usr/bin/env python3
"""An ALM client written from Anaplan's ALM API documentation alone
(alm-openapi.json: /models/{modelId}/alm/...), with Python's standard
library, sharing no code with the Go toolkit. The sandbox test runs it to
show that any client reads the same lineage: for every model its latest
revision (the key is omitted when there is none; 422 for archived models;
404 when the user cannot open it), the models that revision was applied
to (the first is its source), and each source's full revision history,
paged one revision at a time with limit/offset and meta.paging.

Usage: independent_alm_client.py AUTH_URL API_URL USER PASSWORD
Prints one JSON object with what it saw.
"""
import base64
import json
import sys
import urllib.error
import urllib.request

auth_url, api_url, user, password = sys.argv[1:5]


def call(method, url, token=None, headers=None):
    req = urllib.request.Request(url, method=method)
    if token:
        req.add_header("Authorization", "AnaplanAuthToken " + token)
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    try:
        with urllib.request.urlopen(req) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


basic = base64.b64encode(f"{user}:{password}".encode()).decode()
status, body = call("POST", auth_url + "/token/authenticate", headers={"Authorization": "Basic " + basic})
assert status == 201, (status, body)
token = json.loads(body)["tokenInfo"]["tokenValue"]


def get(path):
    status, body = call("GET", api_url + path, token, headers={"Accept": "application/json"})
    return status, (json.loads(body) if body else {})


# Every model of the tenant (one page is enough for the demo tenant).
status, models = get("/models?limit=5000")
assert status == 200, (status, models)
model_ids = [m["id"] for m in models.get("models", [])]

latest, status_of, applied, sources = {}, {}, {}, set()
for mid in model_ids:
    status, body = get(f"/models/{mid}/alm/latestRevision")
    status_of[mid] = status
    if status != 200:
        assert status in (403, 404, 422), (mid, status, body)
        continue
    revisions = body.get("revisions", [])  # omitted when the model has none
    assert len(revisions) <= 1, body
    if not revisions:
        continue
    rev = revisions[0]
    assert len(rev["id"]) == 32 and rev["id"] == rev["id"].upper(), rev
    latest[mid] = rev["id"]
    status, body = get(f"/models/{mid}/alm/revisions/{rev['id']}/appliedToModels")
    assert status == 200, (mid, status, body)
    holders = [a["modelId"] for a in body.get("appliedToModels", []) if not a.get("modelDeleted")]
    applied[mid] = holders
    if holders:
        sources.add(holders[0])

# Each readable source's history, one revision per page, newest first.
history = {}
for src in sorted(sources):
    if status_of.get(src) != 200:
        continue
    ids, offset, pages = [], 0, 0
    while True:
        status, body = get(f"/models/{src}/alm/revisions?limit=1&offset={offset}&sort=-createdOn")
        assert status == 200, (src, status, body)
        paging = body["meta"]["paging"]
        page = body.get("revisions", [])
        ids += [r["id"] for r in page]
        pages += 1
        offset += paging["currentPageSize"]
        if paging["currentPageSize"] == 0 or offset >= paging["totalSize"]:
            break
    history[src] = {"ids": ids, "pages": pages}

print(json.dumps({"latest": latest, "status": status_of, "applied": applied, "history": history}))
