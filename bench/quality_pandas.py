"""pandas' side of bench/quality.mjs: the statistics dw's quality check computes, on the same CSV.

    python bench/quality_pandas.py FILE CATEGORICAL[,CATEGORICAL...] REPEATS

Prints one JSON line: read_csv seconds, and the best of REPEATS runs of the statistics
(describe(), isna().sum(), duplicated().sum(), value_counts() of each categorical column, and the
timestamp column's min/max for freshness) on the DataFrame already in memory.
"""
import json
import sys
import time

import pandas as pd


def stats(df: pd.DataFrame, categoricals: list[str], ts: str) -> int:
    described = df.describe()
    nulls = df.isna().sum()
    dups = int(df.duplicated().sum())
    counts = [df[c].value_counts() for c in categoricals]
    newest = df[ts].max(), df[ts].min()
    # Touch every result so nothing is left lazy.
    return len(described) + int(nulls.sum()) + dups + sum(len(c) for c in counts) + len(newest)


def main() -> None:
    path, cats, repeats = sys.argv[1], sys.argv[2].split(","), int(sys.argv[3])
    t = time.perf_counter()
    df = pd.read_csv(path, parse_dates=["ts"])
    read_s = time.perf_counter() - t
    best = float("inf")
    for _ in range(repeats):
        t = time.perf_counter()
        stats(df, cats, "ts")
        best = min(best, time.perf_counter() - t)
    print(json.dumps({"read_s": read_s, "stats_s": best, "rows": len(df), "cols": df.shape[1], "pandas": pd.__version__}))


if __name__ == "__main__":
    main()
