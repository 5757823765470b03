#!/usr/bin/env python3
"""An Anaplan client written from Anaplan's documented API alone, with
Python's standard library, sharing no code with the Go toolkit. The sandbox
test runs it against scripts/sandbox to show that any client can log in,
read and page the tenant, upload files in chunks (one gzip-compressed), run
an import, poll it to COMPLETE and fetch its failure dump.

Usage: independent_client.py AUTH_URL API_URL USER PASSWORD WORKSPACE_ID MODEL_ID
Prints one JSON object with what it saw.
"""
import base64
import csv
import gzip
import io
import json
import sys
import time
import urllib.error
import urllib.request

auth_url, api_url, user, password, workspace_id, model_id = sys.argv[1:7]


def call(method, url, token=None, body=None, content_type=None, headers=None):
    req = urllib.request.Request(url, method=method, data=body)
    if token:
        req.add_header("Authorization", "AnaplanAuthToken " + token)
    if content_type:
        req.add_header("Content-Type", content_type)
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    try:
        with urllib.request.urlopen(req) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


# 1. Basic authentication: 201 and tokenInfo.
basic = base64.b64encode(f"{user}:{password}".encode()).decode()
status, body = call("POST", auth_url + "/token/authenticate", headers={"Authorization": "Basic " + basic})
assert status == 201, (status, body)
token = json.loads(body)["tokenInfo"]["tokenValue"]


def get_json(path):
    status, body = call("GET", api_url + path, token, headers={"Accept": "application/json"})
    assert status == 200, (path, status, body)
    return json.loads(body)


def page_all(path, key, limit):
    """Follows meta.paging: offset + currentPageSize until totalSize."""
    items, offset, pages = [], 0, 0
    sep = "&" if "?" in path else "?"
    while True:
        page = get_json(f"{path}{sep}limit={limit}&offset={offset}")
        paging = page["meta"]["paging"]
        items += page.get(key, [])  # empty collections may be omitted
        pages += 1
        offset = paging["offset"] + paging["currentPageSize"]
        if offset >= paging["totalSize"] or paging["currentPageSize"] == 0:
            return items, pages


workspaces, ws_pages = page_all("/workspaces?tenantDetails=true", "workspaces", 3)
models, model_pages = page_all("/models?modelDetails=true", "models", 10)

# 2. The registry's rows, in the import shapes.
workspace_rows = [[w["id"], w["name"], str(w["sizeAllowance"]), str(w["currentSize"])] for w in workspaces]
model_rows = [[m["id"], m["name"], m["currentWorkspaceId"], str(int(m["memoryUsage"]))] for m in models]


def csv_bytes(header, rows):
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return out.getvalue().encode("utf-8")


model_base = f"/workspaces/{workspace_id}/models/{model_id}"
files = {f["name"]: f["id"] for f in get_json(model_base + "/files")["files"]}
imports = {i["name"]: i["id"] for i in get_json(model_base + "/imports")["imports"]}

# 3. Chunked upload of workspaces.csv: chunk count -1, chunk 0 plain,
# chunk 1 gzip-compressed, then complete.
data = csv_bytes(["Code", "Name", "sizeAllowance", "currentSize"], workspace_rows)
half = len(data) // 2
fid = files["workspaces.csv"]
status, body = call("POST", f"{api_url}{model_base}/files/{fid}", token,
                    json.dumps({"chunkCount": -1}).encode(), "application/json")
assert status == 200, (status, body)
status, _ = call("PUT", f"{api_url}{model_base}/files/{fid}/chunks/0", token, data[:half], "application/octet-stream")
assert status == 204, status
status, _ = call("PUT", f"{api_url}{model_base}/files/{fid}/chunks/1", token, gzip.compress(data[half:]), "application/x-gzip")
assert status == 204, status
status, body = call("POST", f"{api_url}{model_base}/files/{fid}/complete", token,
                    json.dumps({"id": fid}).encode(), "application/json")
assert status == 200, (status, body)
chunk_count = json.loads(body)["file"]["chunkCount"]


def run_import(name):
    iid = imports[name]
    status, body = call("POST", f"{api_url}{model_base}/imports/{iid}/tasks", token,
                        json.dumps({"localeName": "en_US"}).encode(), "application/json")
    assert status == 200, (status, body)
    task_id = json.loads(body)["task"]["taskId"]
    states = []
    while True:
        task = get_json(f"{model_base}/imports/{iid}/tasks/{task_id}")["task"]
        states.append(task["taskState"])
        if task["taskState"] in ("COMPLETE", "CANCELLED"):
            return iid, task_id, task, states
        time.sleep(0.1)


_, _, w1, w1_states = run_import("W1 Workspaces from workspaces.csv")

# 4. A single-shot upload of a models.csv with one bad row, the import, and
# its failure dump.
bad = model_rows[:2] + [["BADMODEL", "Ghost", "no-such-workspace", "1"]]
status, _ = call("PUT", f"{api_url}{model_base}/files/{files['models.csv']}", token,
                 csv_bytes(["Code", "Name", "Workspace", "currentSize"], bad), "application/octet-stream")
assert status == 204, status
iid, task_id, w2, _ = run_import("W2 Models from models.csv")
status, dump = call("GET", f"{api_url}{model_base}/imports/{iid}/tasks/{task_id}/dump", token)
assert status == 200, (status, dump)

status, _ = call("POST", auth_url + "/token/logout", token)
assert status == 204, status

print(json.dumps({
    "workspaces": workspace_rows,
    "models": model_rows,
    "workspacePages": ws_pages,
    "modelPages": model_pages,
    "uploadChunkCount": chunk_count,
    "w1States": w1_states,
    "w1Result": w1["result"],
    "w2Result": w2["result"],
    "dump": dump.decode("utf-8"),
}))
