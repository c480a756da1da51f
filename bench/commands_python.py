"""The Python side of bench/commands.mjs: what a competent pandas / scikit-learn / MLflow / Jupyter
user runs instead of each dw command, one mode per row. Each mode is a whole process (bench/commands.mjs
times it from spawn to exit and reads its peak memory); the times measured inside are printed as one
JSON line.

    python bench/commands_python.py read FILE
    python bench/commands_python.py quality FILE
    python bench/commands_python.py train FILE TARGET linear|logistic [DATE_COLUMN,...]
    python bench/commands_python.py train_warm FILE TARGET linear|logistic [DATE_COLUMN,...]
    python bench/commands_python.py log_metric DIR N           (needs mlflow: .venv-bench)
    python bench/commands_python.py kernel KERNEL_NAME CWD     (needs jupyter_client: .venv)

Imports are inside the modes, so each process pays for what its user would import and no more.
"""
import json
import sys
import time


def read(path: str) -> None:
    import pandas as pd

    t = time.perf_counter()
    df = pd.read_csv(path)
    print(json.dumps({"read_s": time.perf_counter() - t, "rows": len(df), "pandas": pd.__version__}))


def quality(path: str) -> None:
    """What dw's quality check reports, as pandas computes it: summary statistics, missing values,
    duplicate rows and the levels of every non-numeric column."""
    import pandas as pd

    t = time.perf_counter()
    df = pd.read_csv(path)
    read_s = time.perf_counter() - t
    t = time.perf_counter()
    described = df.describe()
    nulls = df.isna().sum()
    dups = int(df.duplicated().sum())
    counts = [df[c].value_counts() for c in df.columns if not pd.api.types.is_numeric_dtype(df[c])]
    # Touch every result so nothing is left lazy.
    touched = len(described) + int(nulls.sum()) + dups + sum(len(c) for c in counts)
    print(json.dumps({"read_s": read_s, "stats_s": time.perf_counter() - t, "touched": touched}))


def features(df, target: str, dates: list[str]):
    """The matrix dw's train_model builds by default: numeric columns as they are, each date as its
    year, month, day, weekday and day of year, each text column one-hot."""
    import pandas as pd

    parts = []
    for c in df.columns:
        if c == target:
            continue
        if c in dates:
            d = pd.to_datetime(df[c])
            parts.append(
                pd.DataFrame(
                    {f"{c}.year": d.dt.year, f"{c}.month": d.dt.month, f"{c}.day": d.dt.day, f"{c}.dow": d.dt.day_of_week, f"{c}.doy": d.dt.day_of_year}
                )
            )
        elif pd.api.types.is_numeric_dtype(df[c]):
            parts.append(df[[c]])
        else:
            parts.append(pd.get_dummies(df[c], prefix=c, dtype=float))
    return pd.concat(parts, axis=1).to_numpy(dtype=float) if len(parts) > 1 else parts[0].to_numpy(dtype=float)


def fit_once(path: str, target: str, kind: str, dates: list[str]) -> dict:
    """read_csv, the feature matrix, an 80/20 split, the fit, and the held-out score: the script a
    user writes to get what one train_model call answers (without the gates, lineage and commit)."""
    import pandas as pd
    from sklearn.linear_model import LinearRegression, LogisticRegression
    from sklearn.metrics import accuracy_score, r2_score
    from sklearn.model_selection import train_test_split

    start = time.perf_counter()
    df = pd.read_csv(path)
    read_s = time.perf_counter() - start
    X = features(df, target, dates)
    y = df[target].to_numpy()
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
    model = LinearRegression() if kind == "linear" else LogisticRegression()
    t = time.perf_counter()
    model.fit(X_train, y_train)
    fit_s = time.perf_counter() - t
    t = time.perf_counter()
    predicted = model.predict(X_test)
    score = r2_score(y_test, predicted) if kind == "linear" else accuracy_score(y_test, predicted)
    evaluate_s = time.perf_counter() - t
    return {"read_s": read_s, "fit_s": fit_s, "evaluate_s": evaluate_s, "total_s": time.perf_counter() - start, "score": score, "train_rows": len(y_train)}


def train(path: str, target: str, kind: str, dates: list[str]) -> None:
    print(json.dumps(fit_once(path, target, kind, dates)))


def train_warm(path: str, target: str, kind: str, dates: list[str]) -> None:
    """Twice in one process, as a notebook re-runs a cell: the second is the warm one."""
    first = fit_once(path, target, kind, dates)
    second = fit_once(path, target, kind, dates)
    print(json.dumps({"first_s": first["total_s"], "warm_s": second["total_s"], "fit_s": second["fit_s"]}))


def log_metric(directory: str, n: int) -> None:
    """MLflow's file store (MLFLOW_ALLOW_FILE_STORE=true is set by the caller: MLflow 3 refuses it
    otherwise), one mlflow.log_metric per step, as a training loop logs."""
    import mlflow

    mlflow.set_tracking_uri(f"file://{directory}")
    with mlflow.start_run():
        t = time.perf_counter()
        for i in range(n):
            mlflow.log_metric("loss", 1.0 / (i + 1), step=i)
        seconds = time.perf_counter() - t
    print(json.dumps({"per_call_ms": seconds * 1000 / n, "calls": n, "mlflow": mlflow.__version__}))


def kernel(name: str, cwd: str) -> None:
    """Start the kernel as Jupyter Server does (jupyter_client's KernelManager), ask for kernel_info
    (as every client does first), then run `1+1`: the time to its execute_reply. Not
    KernelClient.wait_for_ready, which polls in 1 s steps and then waits 0.2 s on IOPub; requests
    sent before the kernel listens wait in ZeroMQ's queue and are delivered when it does."""
    from jupyter_client import KernelManager

    def reply_to(kc, msg_id: str) -> dict:
        while True:
            msg = kc.get_shell_msg(timeout=120)
            if msg["parent_header"].get("msg_id") == msg_id:
                return msg

    km = KernelManager(kernel_name=name)
    t = time.perf_counter()
    km.start_kernel(cwd=cwd)
    kc = km.client()
    kc.start_channels()
    try:
        reply_to(kc, kc.kernel_info())
        reply = reply_to(kc, kc.execute("1+1"))
        seconds = time.perf_counter() - t
        status = reply["content"]["status"]
        if status != "ok":
            raise SystemExit(f"kernel {name} answered 1+1 with {status}: {reply['content']}")
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    print(json.dumps({"first_reply_s": seconds}))


def main() -> None:
    mode, args = sys.argv[1], sys.argv[2:]
    dates = lambda i: args[i].split(",") if len(args) > i and args[i] else []  # noqa: E731
    if mode == "read":
        read(args[0])
    elif mode == "quality":
        quality(args[0])
    elif mode == "train":
        train(args[0], args[1], args[2], dates(3))
    elif mode == "train_warm":
        train_warm(args[0], args[1], args[2], dates(3))
    elif mode == "log_metric":
        log_metric(args[0], int(args[1]))
    elif mode == "kernel":
        kernel(args[0], args[1])
    else:
        raise SystemExit(f"unknown mode {mode}; the modes are read, quality, train, train_warm, log_metric, kernel")


if __name__ == "__main__":
    main()
