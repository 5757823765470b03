#!/usr/bin/env python3
"""Reads the Model Registry model the way any client of Anaplan's
transactional API would, written from the documented API alone with
Python's standard library (it shares no code with the Go toolkit): log in,
find the "W2 Models" list and the "W2 Model Register" view by name, read
the list's items, the view's metadata and its data as JSON (format=v1) and
as CSV (escaped), and print what it saw as one JSON object.

It does not care how the registry got into the model (an import, or a sync
through the transactional API): only what the model holds counts.

Usage: registry_reader.py AUTH_URL API_URL USER PASSWORD WORKSPACE_ID MODEL_ID
"""
import base64
import csv
import io
import json
import sys
import urllib.error
import urllib.request

auth_url, api_url, user, password, workspace_id, model_id = sys.argv[1:7]


def call(method, url, token=None, body=None, headers=None):
    req = urllib.request.Request(url, method=method, data=body)
    if token:
        req.add_header("Authorization", "AnaplanAuthToken " + token)
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    try:
        with urllib.request.urlopen(req) as resp:
            return resp.status, resp.headers.get("Content-Type", ""), resp.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), e.read()


basic = base64.b64encode(f"{user}:{password}".encode()).decode()
status, _, body = call("POST", auth_url + "/token/authenticate", headers={"Authorization": "Basic " + basic})
assert status == 201, (status, body)
token = json.loads(body)["tokenInfo"]["tokenValue"]

# Both forms address the model; use the workspace form for lists and the
# short form for views, as clients in the wild do.
ws_model = f"{api_url}/workspaces/{workspace_id}/models/{model_id}"
short_model = f"{api_url}/models/{model_id}"


def get_json(url):
    status, _, body = call("GET", url, token, headers={"Accept": "application/json"})
    assert status == 200, (url, status, body)
    return json.loads(body)


def by_name(objects, name):
    for o in objects:
        if o["name"] == name:
            return o
    raise SystemExit(f"no object named {name!r} among {[o['name'] for o in objects]}")


# The list and its items (includeAll adds properties). Empty collections
# may be omitted, so a missing key is an empty list.
w2 = by_name(get_json(ws_model + "/lists").get("lists", []), "W2 Models")
items = get_json(f"{ws_model}/lists/{w2['id']}/items?includeAll=true").get("listItems", [])
list_items = [{"code": i.get("code", ""), "name": i["name"], "parent": i.get("parent", "")} for i in items]

# The module's default view, its axes and its data.
view = by_name(get_json(short_model + "/views").get("views", []), "W2 Model Register")
meta = get_json(f"{short_model}/views/{view['id']}")
assert [d["name"] for d in meta.get("rows", [])] == ["W2 Models"], meta

status, ctype, body = call("GET", f"{short_model}/views/{view['id']}/data?format=v1", token,
                           headers={"Accept": "application/json"})
assert status == 200 and ctype.startswith("application/json"), (status, ctype, body[:200])
grid = json.loads(body)
columns = [c[0] for c in grid["columnCoordinates"]]
json_rows = [dict(zip(["row"] + columns, [r["rowCoordinates"][0]] + r["cells"])) for r in grid["rows"]]

status, ctype, body = call("GET", f"{short_model}/views/{view['id']}/data", token,
                           headers={"Accept": "text/csv;escaped=true"})
assert status == 200 and ctype.startswith("text/csv"), (status, ctype, body[:200])
records = list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))
header = records[0]
csv_rows = [dict(zip(["row"] + header[1:], rec)) for rec in records[1:]]

status, _, _ = call("POST", auth_url + "/token/logout", token)
assert status == 204, status

print(json.dumps({"items": list_items, "columns": columns, "jsonRows": json_rows, "csvRows": csv_rows}))
