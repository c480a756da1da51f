"""Execute a notebook with nbclient and the `dw` kernel, writing the executed notebook.

usage: run_notebook.py IN.ipynb OUT.ipynb [--allow-errors]

The kernel runs in IN's folder, as JupyterLab would run it. Exit 1 with the failing cell's
error when a cell fails (unless --allow-errors).
"""
import os
import sys

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError


def main() -> int:
    src, out = sys.argv[1], sys.argv[2]
    allow_errors = "--allow-errors" in sys.argv[3:]
    nb = nbformat.read(src, as_version=4)
    client = NotebookClient(
        nb,
        kernel_name="dw",
        timeout=180,
        startup_timeout=120,
        allow_errors=allow_errors,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(src))}},
    )
    try:
        client.execute(env={**os.environ, "DW_NOTEBOOK": os.path.abspath(src)})
    except CellExecutionError as e:
        nbformat.write(nb, out)
        print(str(e), file=sys.stderr)
        return 1
    nbformat.write(nb, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
