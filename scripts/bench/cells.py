#!/usr/bin/python3
"""Executes a notebook headless, as nbconvert --execute does, and prints
each code cell's wall time as JSON, for scripts/bench.

nbconvert's record_timing keeps the kernel's own timestamps, which GoNB
writes to the second; this records the client's clock around each cell
instead, with nbclient's hooks (execute request sent, reply received).

Usage: /usr/bin/python3 cells.py NOTEBOOK KERNEL TIMEOUT_SECONDS
Prints {"cells": [{"seconds": s, "failed": bool, "source": "..."}, ...]}.
"""

import json
import os
import sys
import time

import nbformat
from nbclient import NotebookClient


def main():
    path, kernel, timeout = sys.argv[1], sys.argv[2], int(sys.argv[3])
    nb = nbformat.read(path, as_version=4)
    started, cells = {}, []

    def on_cell_execute(cell, cell_index, **_):
        started[cell_index] = time.perf_counter()

    def on_cell_executed(cell, cell_index, **_):
        cells.append({"seconds": time.perf_counter() - started[cell_index], "index": cell_index})

    client = NotebookClient(
        nb, kernel_name=kernel, timeout=timeout, allow_errors=True,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}},
        on_cell_execute=on_cell_execute, on_cell_executed=on_cell_executed)
    client.execute()
    for c in cells:
        cell = nb.cells[c.pop("index")]
        c["source"] = cell.source
        c["failed"] = any(o.get("output_type") == "error" for o in cell.get("outputs", []))
    json.dump({"cells": cells}, sys.stdout)


if __name__ == "__main__":
    main()
