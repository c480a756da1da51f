import assert from "node:assert/strict";
import { asyncBufferFromFile, parquetReadObjects } from "hyparquet";
import type { DomainContext } from "../../../../src/workspace/DomainContext.js";
import { loadSqlDataset } from "../../../../src/data/sql/loadSqlDataset.js";
import { median } from "../../../../src/data/statistics.js";
import { fitLinear, predictLinear, type LinearFit } from "../../../../src/models/linearRegression.js";
import { regressionMetrics } from "../../../../src/models/metrics.js";
import type { InDatabaseLinearFit } from "../../../../src/training/inDatabase/trainLinearInDatabase.js";

/** The rows a recorded query selects, exported through load_dataset's own SQL path (Parquet). */
export async function exportRows(ctx: DomainContext, query: string, connection?: string): Promise<Record<string, unknown>[]> {
  const out = await loadSqlDataset(ctx, { query, ...(connection ? { connection } : {}) });
  try {
    return await parquetReadObjects({ file: await asyncBufferFromFile(out.file) });
  } finally {
    await out.cleanup();
  }
}

const value = (v: unknown): number => (v === null || v === undefined ? NaN : typeof v === "boolean" ? (v ? 1 : 0) : Number(v));

/**
 * What dw's in-memory path computes on exported rows: the medians (dw's `median`) and boolean modes
 * of the training rows, the imputed matrix, fitLinear, and regressionMetrics on the held-out rows.
 */
export function referenceFit(
  train: Record<string, unknown>[],
  test: Record<string, unknown>[],
  features: string[],
  target: string,
  kinds: Record<string, "number" | "boolean">,
) {
  const impute = features.map((f) => {
    const present = train.map((r) => value(r[f])).filter((x) => x === x);
    if (kinds[f] === "boolean") return present.filter((x) => x === 1).length * 2 >= present.length ? 1 : 0;
    return median(present);
  });
  const matrix = (rows: Record<string, unknown>[]) => {
    const X = new Float64Array(rows.length * features.length);
    rows.forEach((r, i) =>
      features.forEach((f, j) => {
        const x = value(r[f]);
        X[i * features.length + j] = x === x ? x : impute[j];
      }),
    );
    return X;
  };
  const y = (rows: Record<string, unknown>[]) => Float64Array.from(rows, (r) => value(r[target]));
  const fit = fitLinear(matrix(train), y(train), train.length, features.length);
  const metrics = test.length ? regressionMetrics(y(test), predictLinear(fit, matrix(test), test.length, features.length)) : undefined;
  return { impute, fit, metrics };
}

export function assertClose(actual: number, expected: number, what: string, rel = 1e-9): void {
  const scale = Math.max(1, Math.abs(expected));
  assert.ok(Math.abs(actual - expected) <= rel * scale, `${what}: ${actual} vs ${expected} (relative ${Math.abs(actual - expected) / scale})`);
}

/** The in-database fit equals the reference: impute values exactly, coefficients and metrics to `rel`. */
export function assertSameFit(
  m: InDatabaseLinearFit,
  ref: { impute: number[]; fit: LinearFit; metrics?: { r2: number; rmse: number; mae: number } },
  rel = 1e-9,
): void {
  assert.deepEqual(
    m.pipeline.steps.map((s) => s.impute),
    ref.impute,
    "impute values are the training medians and modes, exactly",
  );
  assertClose(m.fit.intercept, ref.fit.intercept, "intercept", rel);
  ref.fit.coefficients.forEach((c, j) => assertClose(m.fit.coefficients[j], c, `coefficient ${j}`, rel));
  if (ref.metrics) {
    assert.ok(m.metrics, "held-out metrics");
    for (const k of ["r2", "rmse", "mae"] as const) assertClose(m.metrics[k], ref.metrics[k], k, rel);
  }
}
