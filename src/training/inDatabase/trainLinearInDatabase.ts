import { CholeskyDecomposition, Matrix, solve } from "ml-matrix";
import type { DomainContext } from "../../workspace/DomainContext.js";
import { DwError } from "../../errors/DwError.js";
import { openSqlEngine, type SqlEngine, type SqlSource, type SqlValue } from "../../data/sql/sqlEngine.js";
import { quoteIdent } from "../../data/sql/sqlText.js";
import type { LinearFit } from "../../models/linearRegression.js";
import type { Pipeline, PipelineStep } from "../../models/preprocessing.js";
import { rowHashSql } from "./rowHashSql.js";
import type { RowHash } from "./RowHash.js";
import { engineRowHashes } from "./engineRowHashes.js";
import { recordedRowHash, type RecordedSplitHash } from "./recordedRowHash.js";
import { asDouble, linearFeatureColumns } from "./linearFeatureColumns.js";
import { duckdbMedians } from "./duckdbMedians.js";

/** The split's resolution: a row is held out when its hash modulo this is below test_size × this. */
export const SPLIT_BUCKETS = 1_000_000;
/**
 * PERCENTILE_DISC(f) is the value at row ceil(f·n) of the sorted n, so 0.5 gives the lower middle
 * (row ⌈n/2⌉) and 0.5 + 2⁻⁴⁰ the upper (row ⌊n/2⌋ + 1): f·n lies strictly between n/2 and n/2 + ½
 * for any n below 2³⁹, so both come from one sort.
 */
const UPPER_MIDDLE = String(0.5 + 2 ** -40);
/** Values DuckDB may hold at once for a PERCENTILE_DISC scan (16 bytes each, the value and its negation): about 400 MB. */
const MEDIAN_VALUES_AT_ONCE = 25_000_000;
/**
 * DuckDB takes the medians by PERCENTILE_DISC, a few columns a scan within that bound, while that
 * needs at most this many scans (up to about 5M training rows of 19 features); past it by
 * duckdbMedians' two scans, whatever the rows. Measured at 2M rows, one of duckdbMedians' scans costs
 * about two PERCENTILE_DISC scans; at 100M, PERCENTILE_DISC took 19 scans and 1,100 s.
 */
const PERCENTILE_SCANS_AT_MOST = 4;

/** Scans PERCENTILE_DISC needs for `columns` medians of `rows` training values each, within MEDIAN_VALUES_AT_ONCE. */
function percentileScans(rows: number, columns: number): number {
  return Math.ceil(columns / Math.max(1, Math.floor(MEDIAN_VALUES_AT_ONCE / Math.max(1, rows))));
}

/** What to fit: a SQL table or query, its target and features, and train_model's split settings. */
export interface InDatabaseLinearSpec {
  source: SqlSource;
  target: string;
  /** Numeric or boolean columns; text and dates need the sampled path (sampleForTraining). */
  features: string[];
  /** Share of rows held out to evaluate (0 ≤ test_size < 1; 0 fits every row and reports training fit only). */
  testSize: number;
  seed: number;
  /** Ridge penalty on the coefficients (not the intercept), as fitLinear's `l2`. */
  l2?: number;
  /** A recorded run's split, to repeat (reproduce_run): its row hash is used, not the engine's newest. */
  recordedSplit?: RecordedSplitHash;
}

/** A linear regression fitted inside the database, with everything a run needs to record and repeat it. */
export interface InDatabaseLinearFit {
  engine: "duckdb" | "postgres";
  /** `SELECT version()` of the engine that computed it: the split's hash function belongs to it. */
  engineVersion: string;
  rows: { train: number; test: number; dropped_missing: number };
  /** The preprocessing fitted on the training rows: median (numbers) or mode (booleans) imputation. */
  pipeline: Pipeline;
  fit: LinearFit;
  /** On the held-out rows, as regressionMetrics defines them; absent when test_size is 0. */
  metrics?: { r2: number; rmse: number; mae: number; mape: number };
  /** On the training rows, from the sufficient statistics alone. */
  training: { r2: number; rmse: number };
  split: { seed: number; test_size: number; buckets: number; hash: string; row_hash: RowHash };
  /** The SQL that ran, and queries over the source that select the training and held-out rows (target present). */
  sql: { impute: string[]; moments: string; evaluate?: string; train_rows: string; test_rows: string };
  /**
   * The source's content, cheaply: every row's hash for the seed (rowHashSql, which the split
   * computes anyway) summed, as decimal text (64-bit hashes sum past a double). Equal sums and row
   * counts mean, but for a hash collision, the same rows in any order; the counts query computes it.
   */
  fingerprint: { rows: number; row_hash_sum: string };
  /** Missing values (NULL or NaN) of each feature and the target over every row of the source. */
  nulls: Record<string, number>;
  /** Where the time went, by query kind. */
  timings_ms: { counts: number; medians: number; moments: number; evaluate: number };
}

/**
 * Trains a linear regression exactly inside the database from its sufficient statistics, in
 * four kinds of query, none of which returns rows:
 * 1. counts: rows without a target (dropped), training and held-out rows, each feature's present
 *    values and (booleans) ones, the target's training mean;
 * 2. medians: each numeric feature's two middle training values (PostgreSQL: PERCENTILE_DISC in the
 *    counts scan; DuckDB: PERCENTILE_DISC scans while a few do, else duckdbMedians, a histogram
 *    scan then a scan fetching the middle buckets),
 *    averaged in dw as `median` does (booleans take the mode): the pipeline's imputation, as
 *    train_model fits it;
 * 3. the one moments query: n and Σxj, Σy, Σxj·xk, Σxj·y, Σy² over the training rows, imputed,
 *    each value shifted by a point near its mean (the feature's median, the target's mean) so that
 *    centring in dw (S − n·ā·b̄) loses no digits to cancellation; plain SUMs vectorise where the
 *    engines' REGR_SXY does not (about 1.9× faster in DuckDB);
 * 4. the held-out rows scored in the database (r2, rmse, mae as regressionMetrics defines them, mape as
 *    meanAbsolutePercentageError does: the metrics train_model reports for a regression).
 * dw adds the ridge penalty and solves the p×p normal equations as fitLinear does (Cholesky, or
 * the minimum-norm SVD solution when a pivot fails fitLinear's own test), so the fit equals
 * fitLinear on the same rows preprocessed by the same pipeline. Rows without a target are dropped.
 * The held-out rows are those whose row hash (rowHashSql) modulo 1,000,000 is below
 * test_size × 1,000,000.
 *
 * What crosses the wire is O(p²) numbers, whatever the row count.
 *
 * @example
 * ```ts
 * const m = await trainLinearInDatabase(ctx, {
 *   source: { table: "sales.orders", connection: "warehouse" }, target: "amount", features: ["qty", "price"], testSize: 0.2, seed: 42,
 * });
 * m.fit.coefficients; m.metrics?.r2; m.sql.moments;
 * ```
 */
export async function trainLinearInDatabase(ctx: DomainContext, spec: InDatabaseLinearSpec): Promise<InDatabaseLinearFit> {
  if (!(spec.testSize >= 0 && spec.testSize < 1)) {
    throw new DwError("INVALID_INPUT", `test_size ${spec.testSize} is not in [0, 1).`, {
      hint: "Pass a share such as 0.2, or 0 to fit every row.",
      details: { field: "test_size" },
    });
  }
  const l2 = spec.l2 ?? 0;
  if (!(l2 >= 0 && Number.isFinite(l2)))
    throw new DwError("INVALID_INPUT", `l2 ${l2} is not a finite number ≥ 0.`, {
      hint: "Pass 0 for ordinary least squares, or a positive penalty.",
      details: { field: "l2" },
    });
  // Each query reads the source once, so DuckDB need not copy it first.
  const db = await openSqlEngine(ctx, spec.source, { readInPlace: true });
  try {
    return await fit(db, spec, l2);
  } finally {
    await db.close();
  }
}

async function fit(db: SqlEngine, spec: InDatabaseLinearSpec, l2: number): Promise<InDatabaseLinearFit> {
  const features = linearFeatureColumns(db.columns, spec.target, spec.features);
  const p = features.length;
  const buckets = Math.round(spec.testSize * SPLIT_BUCKETS);
  const supported = await engineRowHashes(db);
  const rowHash = spec.recordedSplit ? recordedRowHash(db.engine, db.columns, spec.seed, spec.recordedSplit) : supported[0];
  if (!supported.includes(rowHash)) {
    const [[version]] = await db.all("SELECT version()");
    throw new DwError(
      "CONNECTION_ERROR",
      `${spec.recordedSplit?.run ?? "The run"}'s split was drawn with ${rowHash}, which this server (${String(version)}) does not have.`,
      {
        hint: "Reproduce on PostgreSQL 14 or later (hash_record_extended arrived in 14), as the run was trained.",
        details: { field: "connection", row_hash: rowHash },
      },
    );
  }
  const hash = rowHashSql(db.engine, db.columns, spec.seed, rowHash);
  const isTest = buckets > 0 ? `(${hash} % ${SPLIT_BUCKETS}) < ${buckets}` : "FALSE";
  // f0…f(p-1) and y: the values as doubles; dw_test: the row's side of the split.
  // A set-returning function in the select list keeps PostgreSQL from inlining the subquery, which
  // would compute the row hash again in every FILTER clause that reads dw_test (40 times a row for
  // 19 features) and each feature's expression in every product that reads it; unlike OFFSET 0
  // (the usual fence, 1.6–2× slower on 2 cores), it leaves the aggregate free to run in parallel
  // workers. generate_series(1, 1) yields each row once. (DuckDB computes a projection once; a
  // LIMIT there would stop its parallel scan.)
  const fence = db.engine === "postgres" ? ", generate_series(1, 1) AS dw_fence" : "";
  const base = (relation: string, withHash = false) =>
    `SELECT ${features.map((f, j) => `${f.value} AS f${j}`).join(", ")}, ${asDouble(quoteIdent(spec.target))} AS y, ${isTest} AS dw_test${withHash ? `, ${hash} AS dw_h` : ""}${fence} FROM ${relation}`;
  const trainFrom = `(${base(db.relation)}) AS d WHERE y IS NOT NULL AND NOT dw_test`;
  const testFrom = `(${base(db.relation)}) AS d WHERE y IS NOT NULL AND dw_test`;

  const [[version]] = await db.all("SELECT version()");
  // PostgreSQL's JIT compiles these few-hundred-aggregate expressions for seconds (2.2 s of a
  // 300k-row moments query) before reading a row; this session runs nothing else.
  if (db.engine === "postgres") await db.all("SET jit = off");
  const numeric = features.flatMap((f, j) => (f.kind === "number" ? [j] : []));
  // PostgreSQL: each numeric feature's two middle training values in the counts scan, from one
  // sort (below); DuckDB holds every value of a quantile in memory, so the counts scan takes each
  // feature's finite range for duckdbMedians' histograms instead.
  const pgMiddles =
    db.engine === "postgres"
      ? numeric
          .map(
            (j) =>
              `, PERCENTILE_DISC(CAST(ARRAY[0.5, ${UPPER_MIDDLE}] AS DOUBLE PRECISION[])) WITHIN GROUP (ORDER BY f${j}) FILTER (WHERE y IS NOT NULL AND NOT dw_test)`,
          )
          .join("")
      : numeric
          .map(
            (j) =>
              `, MIN(f${j}) FILTER (WHERE y IS NOT NULL AND NOT dw_test AND isfinite(f${j})), MAX(f${j}) FILTER (WHERE y IS NOT NULL AND NOT dw_test AND isfinite(f${j}))`,
          )
          .join("");
  // Counts and boolean modes in one scan.
  const countsSql = `SELECT COUNT(*) FILTER (WHERE y IS NULL), COUNT(*) FILTER (WHERE y IS NOT NULL AND NOT dw_test), COUNT(*) FILTER (WHERE y IS NOT NULL AND dw_test)${features
    .map((_, j) => `, COUNT(f${j}) FILTER (WHERE y IS NOT NULL AND NOT dw_test), SUM(f${j}) FILTER (WHERE y IS NOT NULL AND NOT dw_test)`)
    .join(
      "",
    )}, AVG(y) FILTER (WHERE y IS NOT NULL AND NOT dw_test), CAST(SUM(dw_h) AS TEXT), COUNT(*)${features.map((_, j) => `, COUNT(f${j})`).join("")}${pgMiddles} FROM (${base(db.relation, true)}) AS d`;
  let clock = performance.now();
  const lap = () => {
    const now = performance.now();
    const ms = Math.round(now - clock);
    clock = now;
    return ms;
  };
  const [counts] = await db.all(countsSql);
  const timings = { counts: lap(), medians: 0, moments: 0, evaluate: 0 };
  const dropped = num(counts[0]);
  const nTrain = num(counts[1]);
  const nTest = num(counts[2]);
  if (nTrain <= p) {
    throw new DwError("DATA_ERROR", `Only ${nTrain} training rows have a target value, for ${p} features: too few to fit a linear regression.`, {
      hint: "Use more data, fewer features, or a smaller test_size.",
      details: { rows: nTrain, features: p },
    });
  }
  const imputeSql: string[] = [countsSql];
  const impute = new Map<number, number>();
  for (const [j, f] of features.entries()) {
    const seen = num(counts[3 + 2 * j]);
    if (seen === 0) {
      throw new DwError("DATA_ERROR", `Feature '${f.name}' has no value in any training row.`, {
        hint: "Leave it out of the features.",
        details: { column: f.name },
      });
    }
    if (f.kind === "boolean") impute.set(j, num(counts[4 + 2 * j]) * 2 >= seen ? 1 : 0);
  }
  // The lower and upper middle values of each numeric feature (equal when the count is odd); dw's
  // median is their mean. PostgreSQL sorted each once in the counts scan (on disk past work_mem);
  // DuckDB holds every value of a quantile in memory (19 scans of 2 × 80M doubles at 100M rows), so
  // duckdbMedians finds them in two more scans whatever the rows: bucket counts, then the middle buckets.
  if (db.engine === "postgres") {
    for (const [k, j] of numeric.entries()) {
      const [lower, upper] = pgFloatArray(counts[6 + 3 * p + k]);
      impute.set(j, (lower + upper) / 2);
    }
  } else if (numeric.length && percentileScans(nTrain, numeric.length) <= PERCENTILE_SCANS_AT_MOST) {
    // Few scans of PERCENTILE_DISC cost less than duckdbMedians' two heavier ones (each of those
    // unnests and groups every feature's value): 2M × 19, two scans, 15 s against 32 s back to back.
    const perScan = Math.max(1, Math.floor(MEDIAN_VALUES_AT_ONCE / Math.max(1, nTrain)));
    for (let i = 0; i < numeric.length; i += perScan) {
      const js = numeric.slice(i, i + perScan);
      const sql = `SELECT ${js.map((j) => `PERCENTILE_DISC(0.5) WITHIN GROUP (ORDER BY f${j}), PERCENTILE_DISC(0.5) WITHIN GROUP (ORDER BY -f${j})`).join(", ")} FROM ${trainFrom}`;
      imputeSql.push(sql);
      const [row] = await db.all(sql);
      for (const [k, j] of js.entries()) impute.set(j, (num(row[2 * k]) + -num(row[2 * k + 1])) / 2);
    }
  } else if (numeric.length) {
    const columns = numeric.map((j, k) => ({
      column: `f${j}`,
      count: num(counts[3 + 2 * j]),
      min: nullableNum(counts[6 + 3 * p + 2 * k]),
      max: nullableNum(counts[7 + 3 * p + 2 * k]),
    }));
    const medians = await duckdbMedians(db, trainFrom, columns, imputeSql);
    for (const [k, j] of numeric.entries()) impute.set(j, medians[k]);
  }
  timings.medians = lap();
  const steps: PipelineStep[] = features.map((f, j) =>
    f.kind === "boolean" ? { kind: "boolean", column: f.name, impute: impute.get(j)! } : { kind: "numeric", column: f.name, impute: impute.get(j)! },
  );
  const imputed = features.map((_, j) => `COALESCE(f${j}, ${sqlNumber(steps[j].impute as number)})`);

  // The one aggregate query: n and the sums and cross-products of [x, y], each shifted by a value
  // near its mean (a feature by its median, y by its mean from the counts), so that centring them
  // in dw (S − n·a·b) loses no digits to cancellation; plain SUMs vectorise where REGR_SXY does not.
  const shiftY = num(counts[3 + 2 * p]);
  const xs = features.map((_, j) => `COALESCE(f${j} - ${sqlNumber(steps[j].impute as number)}, 0)`);
  const items: string[] = ["COUNT(*)", "SUM(y)", "SUM(y * y)"];
  for (let j = 0; j < p; j++) items.push(`SUM(x${j})`, `SUM(x${j} * y)`);
  for (let j = 0; j < p; j++) for (let k = j; k < p; k++) items.push(`SUM(x${j} * x${k})`);
  const momentsSql = `SELECT ${items.join(", ")} FROM (SELECT ${xs.map((e, j) => `${e} AS x${j}`).join(", ")}, y - ${sqlNumber(shiftY)} AS y FROM ${trainFrom}) AS m`;
  const [row] = await db.all(momentsSql);
  timings.moments = lap();
  const n = num(row[0]);
  const b = num(row[1]) / n;
  const yMean = shiftY + b;
  const syy = num(row[2]) - n * b * b;
  const a = new Float64Array(p);
  const xMean = new Float64Array(p);
  const sxy = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    a[j] = num(row[3 + 2 * j]) / n;
    xMean[j] = (steps[j].impute as number) + a[j];
    sxy[j] = num(row[4 + 2 * j]) - n * a[j] * b;
  }
  const sxx = new Float64Array(p * p);
  let at = 3 + 2 * p;
  for (let j = 0; j < p; j++) for (let k = j; k < p; k++) sxx[j * p + k] = sxx[k * p + j] = num(row[at++]) - n * a[j] * a[k];

  const beta = solveNormalEquations(sxx, sxy, p, l2);
  let intercept = yMean;
  for (let j = 0; j < p; j++) intercept -= beta[j] * xMean[j];
  const fitted: LinearFit = { intercept, coefficients: Array.from(beta) };
  // Residual sum of squares from the statistics: Syy − 2βᵀSxy + βᵀSxxβ (the intercept absorbs the means).
  let sse = syy;
  for (let j = 0; j < p; j++) {
    sse -= 2 * beta[j] * sxy[j];
    for (let k = 0; k < p; k++) sse += beta[j] * sxx[j * p + k] * beta[k];
  }
  sse = Math.max(0, sse);
  const training = { r2: syy === 0 ? (sse === 0 ? 1 : 0) : 1 - sse / syy, rmse: Math.sqrt(sse / n) };

  const trainRows = `SELECT * FROM ${db.source} WHERE ${asDouble(quoteIdent(spec.target))} IS NOT NULL AND NOT (${isTest})`;
  const testRows = `SELECT * FROM ${db.source} WHERE ${asDouble(quoteIdent(spec.target))} IS NOT NULL AND (${isTest})`;
  const out: InDatabaseLinearFit = {
    engine: db.engine,
    engineVersion: String(version),
    rows: { train: nTrain, test: nTest, dropped_missing: dropped },
    pipeline: { steps, feature_names: features.map((f) => f.name) },
    fit: fitted,
    training,
    split: { seed: spec.seed, test_size: spec.testSize, buckets: SPLIT_BUCKETS, hash, row_hash: rowHash },
    fingerprint: { rows: num(counts[5 + 2 * p]), row_hash_sum: String(counts[4 + 2 * p] ?? "0") },
    nulls: Object.fromEntries([...features.map((f, j) => [f.name, num(counts[5 + 2 * p]) - num(counts[6 + 2 * p + j])]), [spec.target, dropped]]),
    sql: { impute: imputeSql, moments: momentsSql, train_rows: trainRows, test_rows: testRows },
    timings_ms: timings,
  };
  if (nTest > 0) {
    const prediction = [sqlNumber(intercept), ...imputed.map((e, j) => `${sqlNumber(beta[j])} * ${e}`)].join(" + ");
    // mape as meanAbsolutePercentageError defines it: |y − p| / max(|y|, ε), averaged.
    const evaluateSql = `SELECT COUNT(*), SUM((y - p) * (y - p)), SUM(ABS(y - p)), REGR_SXY(y, y), SUM(ABS(y - p) / GREATEST(ABS(y), ${sqlNumber(Number.EPSILON)})) FROM (SELECT y, ${prediction} AS p FROM ${testFrom}) AS e`;
    const [[m, ssRes, abs, ssTot, ape]] = await db.all(evaluateSql);
    const res = num(ssRes);
    const tot = num(ssTot);
    out.metrics = { r2: tot === 0 ? (res === 0 ? 1 : 0) : 1 - res / tot, rmse: Math.sqrt(res / num(m)), mae: num(abs) / num(m), mape: num(ape) / num(m) };
    out.sql.evaluate = evaluateSql;
    timings.evaluate = lap();
  }
  return out;
}

/**
 * Solves (Sxx + l2·I) β = Sxy by Cholesky when every pivot passes fitLinear's test (above 1e-12 of
 * the largest diagonal entry), else by SVD (the minimum-norm solution), as fitLinear chooses.
 */
function solveNormalEquations(sxx: Float64Array, sxy: Float64Array, p: number, l2: number): Float64Array {
  const rows: number[][] = [];
  let maxDiag = 0;
  for (let j = 0; j < p; j++) {
    const r = Array.from(sxx.subarray(j * p, j * p + p));
    r[j] += l2;
    maxDiag = Math.max(maxDiag, r[j]);
    rows.push(r);
  }
  const A = new Matrix(rows);
  const b = Matrix.columnVector(Array.from(sxy));
  const chol = new CholeskyDecomposition(A);
  const L = chol.lowerTriangularMatrix;
  let definite = chol.isPositiveDefinite();
  for (let j = 0; definite && j < p; j++) if (!(L.get(j, j) * L.get(j, j) > maxDiag * 1e-12)) definite = false;
  const x = definite ? chol.solve(b) : solve(A, b, true);
  return Float64Array.from(x.getColumn(0));
}

/** A double as SQL, exactly: the shortest text that reads back as the same double, typed as one. */
function sqlNumber(x: number): string {
  if (!Number.isFinite(x))
    throw new DwError("DATA_ERROR", `A fitted value is ${x}.`, { hint: "Check the features for extreme values or perfect collinearity." });
  return `CAST('${String(x)}' AS DOUBLE PRECISION)`;
}

/** A PostgreSQL float8[] as its text ({-0.25,1e-07}), which is how the session returns every value. */
function pgFloatArray(v: SqlValue | undefined): number[] {
  const text = String(v ?? "");
  if (!/^\{.*\}$/.test(text)) throw new DwError("INTERNAL", `PostgreSQL returned '${text.slice(0, 80)}' where it returns an array of two medians.`);
  return text.slice(1, -1).split(",").map(Number);
}

function nullableNum(v: SqlValue | undefined): number | null {
  return v === null || v === undefined ? null : num(v);
}

function num(v: SqlValue | undefined): number {
  if (v === null || v === undefined) return 0;
  return typeof v === "number" ? v : Number(v);
}
