"""Times one scikit-learn fit for bench/run.mjs: python sklearn_fit.py CASE X.f64 Y.f64 N P

Prints one JSON line: {"fit_s": seconds, "peak_rss_mb": ..., "base_rss_mb": ...}. base_rss_mb is the
current RSS just before the fit (data loaded), peak_rss_mb the resident peak (getrusage) after it.
"""
import json
import resource
import sys
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
model = models[case]()
with open("/proc/self/statm") as f:
    base = int(f.read().split()[1]) * resource.getpagesize() / 1048576  # current RSS, data loaded
t = time.perf_counter()
model.fit(X, y)
fit_s = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"fit_s": fit_s, "peak_rss_mb": peak, "base_rss_mb": base}))
