"""Times one scikit-learn fit for bench/run.mjs: python sklearn_fit.py CASE X.f64 Y.f64 N P

Prints one JSON line: {"cold_s": ..., "fit_s": ..., "peak_rss_mb": ..., "base_rss_mb": ...,
"model_mb": ...}: the times of a first (cold) and a second (warm) fit, the RSS just before the
second, the largest RSS sampled every 2 ms during it, and the fitted trees' bytes (None for
linear models).
"""
import gc
import json
import resource
import sys
import threading
import time

import numpy as np

case, xpath, ypath, n, p = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
X = np.fromfile(xpath, dtype=np.float64).reshape(n, p)
y = np.fromfile(ypath, dtype=np.float64)

from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier  # noqa: E402
from sklearn.linear_model import LinearRegression, LogisticRegression  # noqa: E402
from sklearn.tree import DecisionTreeClassifier  # noqa: E402

if case != "linear":
    y = y.astype(np.int64)
models = {
    "linear": lambda: LinearRegression(),
    "logistic": lambda: LogisticRegression(),
    "decision_tree": lambda: DecisionTreeClassifier(max_depth=10, random_state=0),
    "random_forest": lambda: RandomForestClassifier(n_estimators=50, random_state=0, n_jobs=int(sys.argv[6]) if len(sys.argv) > 6 else None),
    "gradient_boosting": lambda: HistGradientBoostingClassifier(max_iter=100, early_stopping=False, random_state=0),
}
# Two fits, as dw's side does: the first cold (in a fresh process), the second warm, with its
# peak RSS sampled every 2 ms by a thread (scikit-learn's loops release the GIL), so imports and
# first-call set-up are not the fit's memory.
t = time.perf_counter()
models[case]().fit(X, y)
cold_s = time.perf_counter() - t
gc.collect()


def rss_mb():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 1048576


peak = [0.0]
done = threading.Event()


def sample():
    while not done.is_set():
        peak[0] = max(peak[0], rss_mb())
        time.sleep(0.002)


base = rss_mb()
peak[0] = base
sampler = threading.Thread(target=sample, daemon=True)
sampler.start()
model = models[case]()
t = time.perf_counter()
model.fit(X, y)
fit_s = time.perf_counter() - t
peak[0] = max(peak[0], rss_mb())
done.set()
sampler.join()


def tree_bytes(tree):
    """Bytes of a fitted tree's node records and values."""
    return tree.__getstate__()["nodes"].nbytes + tree.value.nbytes


# The fitted trees' own size: node records (and values) of each tree.
if case == "decision_tree":
    model_mb = tree_bytes(model.tree_) / 1048576
elif case == "random_forest":
    model_mb = sum(tree_bytes(e.tree_) for e in model.estimators_) / 1048576
elif case == "gradient_boosting":
    model_mb = sum(p.nodes.nbytes for it in model._predictors for p in it) / 1048576
else:
    model_mb = None
print(json.dumps({"cold_s": cold_s, "fit_s": fit_s, "peak_rss_mb": peak[0], "base_rss_mb": base, "model_mb": model_mb}))
