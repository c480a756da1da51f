"""Evidently's drift scores on seeded data, for evidently.integration.test.ts.

Usage: python evidently_agreement.py <out.json>

Writes {"scenarios": [{"name", "reference": {col: values}, "current": {col: values},
"default": {col: {"method", "score", "threshold", "drifted"}}, "methods": {method: {col: {...}}}}]}.
The default choice and its scores come from Evidently's public path,
Report([DataDriftPreset()], include_tests=True).run(...): the ValueDrift metric's value per column
and its test's status (FAIL = drift). Each named method is Evidently's registered stattest, the
object that Report calls for the column (get_stattest(..., name) then stattest(reference, current,
column type, threshold=None)): a Report per method costs ~0.1 s per column, too slow for a test.
"""

import json
import sys

import numpy as np
import pandas as pd
from evidently import Dataset, Report
from evidently.legacy.calculations.stattests import get_stattest
from evidently.legacy.core import ColumnType
from evidently.presets import DataDriftPreset

DISPLAY = {
    "K-S p_value": "ks",
    "chi-square p_value": "chisquare",
    "Z-test p_value": "z",
    "Wasserstein distance (normed)": "wasserstein",
    "Jensen-Shannon distance": "jensenshannon",
    "PSI": "psi",
}
METHODS = ["ks", "chisquare", "z", "wasserstein", "jensenshannon", "psi"]


def frame(rng, n, drift):
    """One side: numeric columns of several distributions, with a shift where `drift`."""
    s = 1.0 if drift else 0.0
    cats = np.array(["alpha", "beta", "gamma", "delta", "épsilon"])
    return pd.DataFrame(
        {
            "normal": rng.normal(0, 1, n),
            "normal_shift": rng.normal(0.25 * s, 1, n),
            "normal_small_shift": rng.normal(0.06 * s, 1, n),
            "lognormal_scale": rng.lognormal(0, 0.5, n) * (1 + 0.3 * s),
            "uniform_shift": rng.uniform(0 + 0.1 * s, 1 + 0.1 * s, n),
            "exponential": rng.exponential(2.0, n),
            "ints_wide": rng.integers(0, 60 + int(20 * s), n),
            "ints_ten": rng.integers(0, 10, n),
            "few_unique": rng.choice([0.5, 1.5, 2.5, 3.5], n, p=[0.4, 0.3, 0.2, 0.1] if not drift else [0.3, 0.3, 0.25, 0.15]),
            "binary": rng.binomial(1, 0.3 + 0.08 * s, n),
            "category": rng.choice(cats, n, p=[0.3, 0.25, 0.2, 0.15, 0.1]),
            "category_shift": rng.choice(cats, n, p=[0.3, 0.25, 0.2, 0.15, 0.1] if not drift else [0.2, 0.25, 0.2, 0.2, 0.15]),
            "binary_text": rng.choice(np.array(["no", "yes"]), n, p=[0.6 - 0.05 * s, 0.4 + 0.05 * s]),
        }
    )


def scores(reference, current, **preset):
    """{column: {"method", "score", "drifted"}} from one DataDriftPreset run."""
    run = Report([DataDriftPreset(**preset)], include_tests=True).run(current_data=current, reference_data=reference).dict()
    out = {}
    for m in run["metrics"]:
        config = m["config"]
        if config["type"] != "evidently:metric_v2:ValueDrift":
            continue
        method = DISPLAY.get(config["method"], config["method"])
        out[config["column"]] = {"method": method, "score": float(m["value"]), "threshold": config["threshold"]}
    for t in run["tests"]:
        params = t["metric_config"]["params"]
        if params.get("type") == "evidently:metric_v2:ValueDrift":
            out[params["column"]]["drifted"] = t["status"] == "FAIL"
    return out


def applicable(column, method, numerical):
    """Evidently refuses ks and wasserstein on a categorical column, chisquare and z on a numerical one."""
    if method in ("ks", "wasserstein"):
        return column in numerical
    if method in ("chisquare", "z"):
        return column not in numerical
    return True


def scenario(name, seed, n_reference, n_current):
    rng = np.random.default_rng(seed)
    reference = frame(rng, n_reference, False)
    current = frame(rng, n_current, True)
    result = {
        "name": name,
        "reference": {c: reference[c].tolist() for c in reference.columns},
        "current": {c: current[c].tolist() for c in current.columns},
        "default": scores(reference, current),
        "methods": {},
    }
    # The column types Evidently infers, from the current data (an int column of <= 10 values is categorical).
    numerical = set(Dataset.from_pandas(current).data_definition.numerical_columns)
    for method in METHODS:
        result["methods"][method] = {}
        for column in reference.columns:
            if not applicable(column, method, numerical):
                continue
            kind = ColumnType.Numerical if column in numerical else ColumnType.Categorical
            stattest = get_stattest(reference[column], current[column], kind, method)
            r = stattest(reference[column], current[column], kind, None)
            result["methods"][method][column] = {
                "method": method,
                "score": float(r.drift_score),
                "threshold": float(r.actual_threshold),
                "drifted": bool(r.drifted),
            }
    return result


def main():
    scenarios = [
        # <= 1000 reference values: the tests. Equal sizes take scipy's exact KS for equal samples,
        # unequal ones the lattice-path count, and a current of more than 10,000 its asymptotic kstwo.
        scenario("small, equal sizes", 11, 600, 600),
        scenario("small, unequal sizes", 12, 1000, 700),
        scenario("small reference, large current", 13, 400, 12000),
        # > 1000: the distances.
        scenario("large", 14, 3000, 2500),
    ]
    with open(sys.argv[1], "w") as f:
        json.dump({"scenarios": scenarios}, f)


if __name__ == "__main__":
    main()
