"""The MLflow side of bench/serving.mjs, run with .venv-bench's Python.

  python mlflow_models.py data OUT.csv
      Writes scikit-learn's bundled diabetes data (442 rows, 10 numeric features, target
      "progression") as CSV, every float at full precision (repr), so dw and scikit-learn fit the
      very same numbers.
  python mlflow_models.py train CSV OUT_DIR SPEC_JSON
      SPEC: {"target": str, "features": [str], "models": {name: {"algorithm": "linear_regression"
      | "decision_tree", "max_depth": int}}}. Fits each model on every row (as dw's train_model
      with cv_folds does) and saves it with mlflow.sklearn.save_model under OUT_DIR/<name>, with a
      column signature inferred from the data, as a user following MLflow's docs would.
"""
import json
import sys


def write_data(out):
    from sklearn.datasets import load_diabetes

    frame = load_diabetes(as_frame=True).frame.rename(columns={"target": "progression"})
    with open(out, "w") as f:
        f.write(",".join(frame.columns) + "\n")
        for row in frame.itertuples(index=False):
            f.write(",".join(repr(float(v)) for v in row) + "\n")


def train(csv, out_dir, spec):
    import mlflow.sklearn
    import pandas as pd
    from mlflow.models import infer_signature
    from sklearn.linear_model import LinearRegression
    from sklearn.tree import DecisionTreeRegressor

    data = pd.read_csv(csv)
    X = data[spec["features"]].astype("float64")
    y = data[spec["target"]].astype("float64")
    for name, m in spec["models"].items():
        if m["algorithm"] == "linear_regression":
            model = LinearRegression()
        elif m["algorithm"] == "decision_tree":
            model = DecisionTreeRegressor(max_depth=m["max_depth"], random_state=0)
        else:
            raise SystemExit(f"unknown algorithm {m['algorithm']}")
        model.fit(X, y)
        # MLflow 3.17 saves with skops and refuses a tree's node storage unless it is named as trusted
        # (a hostile file could index out of bounds); these trees were fitted just above.
        trusted = ["sklearn.tree._tree.Tree"] if m["algorithm"] == "decision_tree" else None
        signature = infer_signature(X, model.predict(X))
        mlflow.sklearn.save_model(model, f"{out_dir}/{name}", signature=signature, skops_trusted_types=trusted)


if __name__ == "__main__":
    if sys.argv[1] == "data":
        write_data(sys.argv[2])
    elif sys.argv[1] == "train":
        train(sys.argv[2], sys.argv[3], json.loads(sys.argv[4]))
    else:
        raise SystemExit(__doc__)
