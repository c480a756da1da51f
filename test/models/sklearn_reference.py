"""Reference answers from the real scikit-learn for dw's model tests.

Usage: python sklearn_reference.py SPEC.json OUT.json

SPEC has "mode":
  "fit":     {"csv": path, "model": name, "task": "classification"|"regression", "params": {...}}
             The CSV has a header; its last two columns are the target and "is_test" (0/1); all other
             columns are numeric features. Classification targets are class indices 0..K-1.
             Writes {"pred": [...], "proba": [[...]] (classifiers), "score": accuracy or R²,
             "log_loss": ... (classifiers with predict_proba), "coef" (K × p, or 1 × p for a
             regression) / "intercept" (linear models)}. "linear_regression" is LinearRegression,
             "ridge" is Ridge (params {"alpha": ...}).
  "batch":   {"jobs": [SPEC, ...]}: runs each job (one Python start for many fits); writes a list.
  "metrics": {"y_true": [...], "y_pred": [...], "proba": [[...]] | null, "n_classes": K,
              "task": "classification"|"regression"}
             Writes every metric dw computes, named as dw names them.
"""
import json
import sys

import numpy as np


def fit(spec):
    from sklearn.ensemble import (HistGradientBoostingClassifier, HistGradientBoostingRegressor,
                                  RandomForestClassifier, RandomForestRegressor)
    from sklearn.linear_model import LinearRegression, LogisticRegression, Ridge
    from sklearn.metrics import accuracy_score, log_loss, r2_score
    from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

    data = np.genfromtxt(spec["csv"], delimiter=",", skip_header=1, dtype=np.float64)
    X, y, is_test = data[:, :-2], data[:, -2], data[:, -1] == 1
    classification = spec["task"] == "classification"
    if classification:
        y = y.astype(np.int64)
    models = {
        ("linear_regression", False): LinearRegression,
        ("ridge", False): Ridge,
        ("logistic_regression", True): LogisticRegression,
        ("decision_tree", True): DecisionTreeClassifier,
        ("decision_tree", False): DecisionTreeRegressor,
        ("random_forest", True): RandomForestClassifier,
        ("random_forest", False): RandomForestRegressor,
        ("gradient_boosting", True): HistGradientBoostingClassifier,
        ("gradient_boosting", False): HistGradientBoostingRegressor,
    }
    model = models[(spec["model"], classification)](**spec.get("params", {}))
    model.fit(X[~is_test], y[~is_test])
    Xt, yt = X[is_test], y[is_test]
    pred = model.predict(Xt)
    out = {"pred": pred.tolist()}
    if classification:
        out["score"] = accuracy_score(yt, pred)
        proba = model.predict_proba(Xt)
        out["proba"] = proba.tolist()
        out["log_loss"] = log_loss(yt, proba, labels=list(range(proba.shape[1])))
    else:
        out["score"] = r2_score(yt, pred)
    if hasattr(model, "coef_"):
        out["coef"] = np.atleast_2d(model.coef_).tolist()
        out["intercept"] = np.atleast_1d(model.intercept_).tolist()
    if spec["model"] == "logistic_regression":
        out["n_iter"] = model.n_iter_.tolist()
    return out


def metrics(spec):
    from sklearn import metrics as m

    y_true = np.asarray(spec["y_true"])
    y_pred = np.asarray(spec["y_pred"])
    if spec["task"] == "regression":
        return {
            "r2": m.r2_score(y_true, y_pred),
            "rmse": float(np.sqrt(m.mean_squared_error(y_true, y_pred))),
            "mae": m.mean_absolute_error(y_true, y_pred),
            "mape": m.mean_absolute_percentage_error(y_true, y_pred),
        }
    k = spec["n_classes"]
    out = {
        "accuracy": m.accuracy_score(y_true, y_pred),
        "confusion_matrix": m.confusion_matrix(y_true, y_pred, labels=list(range(k))).tolist(),
    }
    averages = ["binary", "macro", "weighted", "micro"] if k == 2 else ["macro", "weighted", "micro"]
    for avg in averages:
        out[f"precision_{avg}"] = m.precision_score(y_true, y_pred, average=avg, zero_division=0)
        out[f"recall_{avg}"] = m.recall_score(y_true, y_pred, average=avg, zero_division=0)
        out[f"f1_{avg}"] = m.f1_score(y_true, y_pred, average=avg, zero_division=0)
    if spec.get("proba") is not None:
        # Rounding can put a probability a few ulps past 1, which scikit-learn 1.9 refuses; it clips
        # to [eps, 1 - eps] itself, so clipping to [0, 1] first changes no value it computes.
        proba = np.clip(np.asarray(spec["proba"]), 0.0, 1.0)
        out["log_loss"] = m.log_loss(y_true, proba, labels=list(range(k)))
        if k == 2:
            out["roc_auc"] = m.roc_auc_score(y_true, proba[:, 1])
        else:
            out["roc_auc"] = m.roc_auc_score(y_true, proba, multi_class="ovr", average="macro")
    return out


def main():
    with open(sys.argv[1]) as f:
        spec = json.load(f)
    modes = {"fit": fit, "metrics": metrics}
    if spec["mode"] == "batch":
        out = [modes[job["mode"]](job) for job in spec["jobs"]]
    else:
        out = modes[spec["mode"]](spec)
    with open(sys.argv[2], "w") as f:
        json.dump(out, f)


if __name__ == "__main__":
    main()
