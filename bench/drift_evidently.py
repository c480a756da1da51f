"""Evidently's side of bench/drift.mjs: what a competent user runs to check drift of two CSV files.

Usage: python drift_evidently.py <reference.csv> <current.csv>

Reads both with pandas, runs Report([DataDriftPreset()]) (the defaults: per column Evidently's
choice of test, dataset drift at a share of 0.5), and prints one JSON line: the seconds spent
reading and running, Evidently's version, and per column the method, score and verdict (its test's
status, FAIL = drift).
"""

import json
import sys
import time

t0 = time.perf_counter()
import pandas as pd  # noqa: E402
import evidently  # noqa: E402
from evidently import Report  # noqa: E402
from evidently.presets import DataDriftPreset  # noqa: E402

DISPLAY = {
    "K-S p_value": "ks",
    "chi-square p_value": "chisquare",
    "Z-test p_value": "z",
    "Wasserstein distance (normed)": "wasserstein",
    "Jensen-Shannon distance": "jensenshannon",
    "PSI": "psi",
}

t1 = time.perf_counter()
reference = pd.read_csv(sys.argv[1])
current = pd.read_csv(sys.argv[2])
t2 = time.perf_counter()
result = Report([DataDriftPreset()], include_tests=True).run(current_data=current, reference_data=reference)
t3 = time.perf_counter()

d = result.dict()
columns = {}
for m in d["metrics"]:
    c = m["config"]
    if c["type"] == "evidently:metric_v2:ValueDrift":
        columns[c["column"]] = {"method": DISPLAY.get(c["method"], c["method"]), "score": float(m["value"])}
for t in d["tests"]:
    p = t["metric_config"]["params"]
    if p.get("type") == "evidently:metric_v2:ValueDrift":
        columns[p["column"]]["drifted"] = t["status"] == "FAIL"
print(
    json.dumps(
        {
            "version": evidently.__version__,
            "pandas": pd.__version__,
            "import_s": t1 - t0,
            "read_s": t2 - t1,
            "run_s": t3 - t2,
            "columns": columns,
        }
    )
)
