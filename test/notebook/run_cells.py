"""Execute chosen cells of a notebook with nbclient and the `dw` kernel, in the order a plan gives,
as a person clicking around a notebook does; then ask the kernel for its history.

usage: run_cells.py IN.ipynb PLAN.json OUT.json

PLAN is a JSON list of steps, each {"cell": index} or {"cell": index, "source": "new code"}: the
cell's source is replaced in memory first (an edit that is never saved: IN is not written). OUT
gets {"steps": [{"cell", "execution_count", "outputs"}], "history": <history_reply content of a
range request over the whole session>}. Errors in cells are allowed (their outputs say so).

nbclient 0.11 sends no cell id with execute_request; JupyterLab sends `metadata.cellId`, and so
does this driver, through jupyter_client's Session.metadata (the default metadata of every
message) set for each cell by nbclient's on_cell_execute hook.
"""
import asyncio
import json
import os
import sys

import nbformat
from nbclient import NotebookClient


async def main() -> int:
    src, plan_path, out = sys.argv[1], sys.argv[2], sys.argv[3]
    nb = nbformat.read(src, as_version=4)
    with open(plan_path, encoding="utf8") as f:
        plan = json.load(f)

    def send_cell_id(cell, cell_index):  # noqa: ARG001 - nbclient passes both by name
        client.kc.session.metadata = {"cellId": cell.get("id")} if cell.get("id") else {}

    client = NotebookClient(
        nb,
        kernel_name="dw",
        timeout=180,
        startup_timeout=120,
        allow_errors=True,
        on_cell_execute=send_cell_id,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(src))}},
    )
    result = {"steps": [], "history": None}
    async with client.async_setup_kernel(env={**os.environ, "DW_NOTEBOOK": os.path.abspath(src)}):
        for step in plan:
            index = step["cell"]
            cell = nb.cells[index]
            if "source" in step:
                cell.source = step["source"]
            await client.async_execute_cell(cell, index)
            result["steps"].append({"cell": index, "execution_count": cell.get("execution_count"), "outputs": cell.get("outputs", [])})
        client.kc.session.metadata = {}
        msg_id = client.kc.history(hist_access_type="range", session=0, start=1, output=False, raw=True)
        reply = await client.async_wait_for_reply(msg_id)
        result["history"] = reply["content"] if reply else None
    with open(out, "w", encoding="utf8") as f:
        json.dump(result, f)
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
