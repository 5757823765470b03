#!/usr/bin/python3
"""The community tutorial's model registry ("Python and Anaplan: Pt 2 - Anaplan
Model Registry Case Study"), as the baseline that scripts/bench measures
scripts/registry against.

It makes the tutorial's calls in the tutorial's way: module-level
requests.post/requests.get (a new connection per call), one after the other:

    POST {auth}/token/authenticate            (Basic)
    GET  {api}/workspaces?tenantDetails=true
    GET  {api}/models?modelDetails=true

The tutorial stops at the first page, which holds at most 5,000 models, so
on a large tenant it silently misses models. To compare like with like this
copy pages with offset/limit until meta.paging.totalSize is reached, still
one request at a time, which is what a reader fixing the tutorial would do.
It then writes the two import files, workspaces.csv and models.csv, with the
csv module (the tutorial uses pandas; Debian's python3-requests is all this
needs). It reads the real fields (currentWorkspaceId, memoryUsage), not the
tutorial's wsp/currentSize.

Configuration comes from the environment, as for the Go scripts:
ANAPLAN_AUTH_URL, ANAPLAN_API_URL, ANAPLAN_USERNAME, ANAPLAN_PASSWORD.
Usage: /usr/bin/python3 tutorial.py OUTDIR
It prints "workspaces=N models=M requests=R" on success.
"""

import base64
import csv
import os
import sys

import requests

PAGE = 5000
requests_made = 0


def auth_token_basic(auth_url, user, password):
    global requests_made
    encoded = base64.b64encode(f"{user}:{password}".encode("utf-8")).decode("ascii")
    headers = {"Authorization": "Basic " + encoded}
    requests_made += 1
    resp = requests.post(auth_url + "/token/authenticate", headers=headers)
    resp.raise_for_status()
    return resp.json()["tokenInfo"]["tokenValue"]


def get_all(api_url, token, path, details, key):
    """Pages through a list, one request at a time, trusting meta.paging."""
    global requests_made
    headers = {"Authorization": "AnaplanAuthToken " + token, "Accept": "application/json"}
    items, offset = [], 0
    while True:
        requests_made += 1
        resp = requests.get(f"{api_url}/{path}?{details}=true&offset={offset}&limit={PAGE}", headers=headers)
        resp.raise_for_status()
        body = resp.json()
        page = body.get(key, [])
        items.extend(page)
        paging = body.get("meta", {}).get("paging")
        if paging is None or not page:
            return items
        offset = paging["offset"] + len(page)
        if offset >= paging["totalSize"]:
            return items


def main():
    out = sys.argv[1]
    auth_url = os.environ["ANAPLAN_AUTH_URL"].rstrip("/")
    api_url = os.environ["ANAPLAN_API_URL"].rstrip("/")
    token = auth_token_basic(auth_url, os.environ["ANAPLAN_USERNAME"], os.environ["ANAPLAN_PASSWORD"])

    workspaces = get_all(api_url, token, "workspaces", "tenantDetails", "workspaces")
    models = get_all(api_url, token, "models", "modelDetails", "models")

    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "workspaces.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["Code", "Name", "sizeAllowance", "currentSize"])
        for ws in workspaces:
            w.writerow([ws["id"], ws["name"], ws.get("sizeAllowance", ""), ws.get("currentSize", "")])
    with open(os.path.join(out, "models.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["Code", "Name", "Workspace", "currentSize"])
        for m in models:
            w.writerow([m["id"], m["name"], m.get("currentWorkspaceId", ""), m.get("memoryUsage", "")])
    print(f"workspaces={len(workspaces)} models={len(models)} requests={requests_made}")


if __name__ == "__main__":
    main()
