import { DwError } from "../errors/DwError.js";
import { parseHyperparameters, resolvedHyperparameters } from "../models/hyperparameters.js";
import type { Task } from "../models/estimators.js";
import { newRunId } from "../runs/runId.js";
import { writeRun } from "../runs/writeRun.js";
import { readExperiment } from "../experiments/readExperiment.js";
import { experimentAttachment } from "../training/experimentAttachment.js";
import { enforceGates } from "./enforceGates.js";
import { defaultReviewer } from "../governance/review/recordReview.js";
import { documentText } from "../workspace/documentText.js";
import type { DatasetRecord } from "../data/datasetRecords.js";
import { openSqlEngine, type SqlSource } from "../data/sql/sqlEngine.js";
import type { SqlColumn } from "../data/sql/columnKinds.js";
import { redactUrl } from "../data/sql/resolveConnection.js";
import { trainLinearInDatabase } from "../training/inDatabase/trainLinearInDatabase.js";
import { linearFeatureColumns } from "../training/inDatabase/linearFeatureColumns.js";
import { IN_DATABASE_PATH, IN_DATABASE_TOLERANCE, type InDatabaseRun } from "../training/inDatabase/InDatabaseRun.js";
import { inDatabaseModelJson } from "../training/inDatabase/inDatabaseModelJson.js";
import { inDatabaseDataSha256 } from "../training/inDatabase/inDatabaseDataSha256.js";
import type { SkippedFeature } from "../training/TrainingDecisions.js";
import type { SetStage } from "../runs/recordTraining.js";
import type { TrainContext, TrainSpec, TrainedRun } from "./trainWithGates.js";
import { trainInDatabaseGates } from "./trainInDatabaseGates.js";
import { sqlSourceDatasetId } from "../training/inDatabase/sqlSourceDatasetId.js";

/** A training on a SQL table or query: train_model's spec with the source in place of a registered dataset. */
export interface InDatabaseTrainSpec extends Omit<TrainSpec, "dataset_id"> {
  source: SqlSource;
  /** The name the run records the source under; defaults to one made from the table name or the query's hash. */
  dataset_id?: string;
  /** Rows of the seeded sample the algorithms other than linear regression train on. */
  sample_rows?: number;
}

/** What train_model answers for a SQL source: a run, and where it was trained. */
export interface SqlTrainedRun extends TrainedRun {
  trained_on: { where: "in_database" | "sample"; engine: "duckdb" | "postgres"; rows: number; record: string };
}

/**
 * Trains a linear regression inside the database a SQL table or query lives in, with every gate
 * and nothing exported: the columns are checked first (linearFeatureColumns), the gates run on the
 * profile computed by aggregate queries and a seeded sample for PII (trainInDatabaseGates), a
 * failed gate blocks unless overridden, the fit comes from the sufficient statistics and the
 * holdout (a seeded split by row hash) is scored by one aggregate query (trainLinearInDatabase).
 * The run commit is train_model's, with data/in_database.json (the SQL that ran, the engine and
 * its version, the row counts and the table's content fingerprint) in place of a data file, and a
 * model.json whose training_data says `where: "in_database"`. Evaluation is a holdout only.
 *
 * @example
 * ```ts
 * const run = await trainInDatabaseLinear({ source: { table: "sales", connection: "duckdb:w.duckdb" }, target: "amount", algorithm: "linear_regression", hyperparameters: {}, test_size: 0.2, seed: 42 }, ctx, () => {});
 * run.trained_on; // { where: "in_database", engine: "duckdb", rows: 1000000, record: "data/in_database.json" }
 * ```
 */
export async function trainInDatabaseLinear(spec: InDatabaseTrainSpec, ctx: TrainContext, stage: SetStage): Promise<SqlTrainedRun> {
  stage("checking gates");
  const t0 = performance.now();
  if (spec.algorithm !== "linear_regression") throw new Error(`trainInDatabaseLinear trains linear_regression, not ${spec.algorithm}`);
  refuse(
    spec.task === "classification",
    "task",
    "A linear regression learns a regression, not a classification.",
    "Train a classifier (logistic_regression, random_forest, …) on a sample of the table, or drop task.",
  );
  refuse(
    spec.cv_folds !== undefined,
    "cv_folds",
    "A linear regression trained in the database is evaluated on a seeded holdout split in SQL, not by k-fold (which would fit k times).",
    "Drop cv_folds and set test_size, the share of rows the row hash holds out.",
  );
  refuse(
    spec.pipeline !== undefined,
    "pipeline",
    "A named feature pipeline runs in dw, on rows; a linear regression trained in the database imputes its numeric and boolean features there.",
    "Drop pipeline, or load the data with load_dataset and train on the dataset.",
  );
  refuse(
    spec.time_budget_seconds !== undefined,
    "time_budget_seconds",
    "A linear regression has no trees or iterations a time budget could cut.",
    "Drop time_budget_seconds.",
  );
  const hyperparameters: Record<string, unknown> = parseHyperparameters("linear_regression", spec.hyperparameters, "linear_regression");
  if (spec.experiment !== undefined) await readExperiment(ctx.workspace, spec.experiment);
  const datasetId = spec.dataset_id ?? sqlSourceDatasetId(spec.source);
  const columns = await sourceColumns(ctx, spec.source);
  const chosenBy = spec.features ? "asked" : "default";
  const features = spec.features ?? columns.filter((c) => c.name !== spec.target && (c.kind === "number" || c.kind === "boolean")).map((c) => c.name);
  // The columns are checked before any gate scans the table: a typo costs no scan.
  linearFeatureColumns(columns, spec.target, features);
  const task: Task = "regression";
  const reports = await trainInDatabaseGates(ctx, {
    datasetId,
    source: spec.source,
    target: spec.target,
    features,
    algorithm: spec.algorithm,
    task,
    hyperparameters,
    seed: spec.seed,
  });
  const gated = enforceGates("train_model", reports, { reason: spec.override_reason, by: await defaultReviewer(ctx.workspace), at: ctx.now() });
  const tLoad = performance.now();

  stage("fitting in the database");
  const { l2 } = resolvedHyperparameters("linear_regression", task, hyperparameters);
  const fit = await trainLinearInDatabase(ctx, { source: spec.source, target: spec.target, features, testSize: spec.test_size, seed: spec.seed, l2 });
  if (!fit.metrics) throw new Error("trainLinearInDatabase evaluates a holdout whenever test_size > 0");
  const metrics: Record<string, number> = { ...fit.metrics };

  stage("recording the run");
  const given = spec.source.connection?.trim() || "duckdb";
  const shown = redactUrl(given);
  const record: InDatabaseRun = {
    method: "sufficient_statistics",
    engine: fit.engine,
    engine_version: fit.engineVersion,
    connection: shown,
    connection_redacted: shown !== given,
    source: spec.source.table !== undefined ? { table: spec.source.table } : { query: spec.source.query! },
    target: spec.target,
    features,
    seed: spec.seed,
    test_size: spec.test_size,
    l2,
    rows: { total: fit.fingerprint.rows, ...fit.rows },
    fingerprint: { row_hash_sum: fit.fingerprint.row_hash_sum, seed: spec.seed },
    split: { buckets: fit.split.buckets, hash: fit.split.hash, row_hash: fit.split.row_hash },
    evaluation: "in_database",
    training: fit.training,
    tolerance: IN_DATABASE_TOLERANCE,
    sql: fit.sql,
    timings_ms: fit.timings_ms,
  };
  const sha256 = inDatabaseDataSha256(record);
  const now = ctx.now();
  const runId = newRunId(now);
  const model = inDatabaseModelJson(fit, { target: spec.target, datasetId, sha256, hyperparameters, runId, now });
  const t = fit.timings_ms;
  const timings = {
    load_s: secs(tLoad - t0),
    fit_s: secs(t.counts + t.medians + t.moments),
    evaluate_s: secs(t.evaluate),
    total_s: secs(performance.now() - t0),
  };
  const kindOf = new Map(columns.map((c) => [c.name, c.kind]));
  const used = [...features, spec.target];
  const dataRecord: DatasetRecord = {
    dataset_id: datasetId,
    source: `sql:${fit.engine}`,
    // No copy exists: the format a SQL result has when load_dataset caches it. data/in_database.json says what was read.
    format: "parquet",
    sha256,
    size_bytes: 0,
    rows: fit.fingerprint.rows,
    columns: used.map((name) => ({ name, type: kindOf.get(name) === "boolean" ? "boolean" : "number", nulls: fit.nulls[name] ?? 0 })),
    loaded_at: now.toISOString(),
    ...(spec.source.query !== undefined ? { query: spec.source.query } : {}),
    engine: fit.engine,
    connection: shown,
  };
  const parameters = {
    dataset_id: datasetId,
    target: spec.target,
    features,
    algorithm: spec.algorithm,
    task,
    hyperparameters,
    test_size: spec.test_size,
    cv_folds: null,
    seed: spec.seed,
  };
  const commit = await writeRun(
    ctx.workspace,
    {
      runId,
      now,
      parameters,
      metrics,
      evaluatedOn: `holdout ${fit.rows.test} rows, in ${fit.engine}`,
      timings,
      dataset: { record: dataRecord, rowsUsed: fit.rows.train + fit.rows.test },
      gates: { reports, files: gated.files, override: gated.override },
      model,
      references: { [IN_DATABASE_PATH]: documentText(record) },
      note: inDatabaseNote(record),
      origin: ctx.origin,
    },
    spec.experiment !== undefined ? experimentAttachment(ctx.workspace, spec.experiment) : undefined,
  );
  const skipped = columns
    .filter((c) => !features.includes(c.name))
    .map(
      (c): SkippedFeature => ({
        column: c.name,
        reason:
          c.name === spec.target
            ? "the target"
            : chosenBy === "asked"
              ? "not among the features asked for"
              : `${c.kind} values: a linear regression trained in the database uses the numeric and boolean columns`,
      }),
    );
  return {
    run_id: runId,
    model_id: runId,
    commit,
    dataset_id: datasetId,
    algorithm: spec.algorithm,
    estimator: "linear_regression",
    note: inDatabaseNote(record),
    task,
    target: spec.target,
    features,
    encoded_features: fit.pipeline.feature_names,
    hyperparameters,
    evaluation: "holdout",
    metrics,
    rows: fit.rows,
    model: { intercept: fit.fit.intercept, coefficients: Object.fromEntries(features.map((f, j) => [f, fit.fit.coefficients[j]])) },
    timings: { ...timings, total_s: secs(performance.now() - t0) },
    ...(spec.experiment !== undefined ? { experiment: spec.experiment } : {}),
    gates: reports.map((r) => ({ gate: r.gate, status: r.status, summary: r.summary })),
    ...(gated.override ? { override: { reason: gated.override.reason, by: gated.override.by, gates: gated.override.gates } } : {}),
    decisions: {
      task: { value: task, rule: "linear_regression learns a regression" },
      algorithm: {
        value: "linear_regression",
        rule: "linear_regression (asked for, or dw's default for a regression) trains inside the database, from its sufficient statistics",
      },
      features: { chosen_by: chosenBy, used: features, skipped },
      gates: reports.map((r) => ({ gate: r.gate, status: r.status, summary: r.summary })),
    },
    trained_on: { where: "in_database", engine: fit.engine, rows: fit.fingerprint.rows, record: IN_DATABASE_PATH },
  };
}

function inDatabaseNote(r: InDatabaseRun): string {
  return `Trained inside ${r.engine} (${r.engine_version}) from its sufficient statistics: ${r.rows.train.toLocaleString("en-US")} training rows, ${r.rows.test.toLocaleString("en-US")} held out by row hash, none exported; the SQL is in ${IN_DATABASE_PATH}.`;
}

/** The source's columns and their kinds, from the prepared query (no rows read). */
async function sourceColumns(ctx: TrainContext, source: SqlSource): Promise<SqlColumn[]> {
  const db = await openSqlEngine(ctx, source, { readInPlace: true });
  try {
    return db.columns;
  } finally {
    await db.close();
  }
}

function refuse(when: boolean, field: string, message: string, hint: string): void {
  if (when) throw new DwError("INVALID_INPUT", message, { hint, details: { field } });
}

const secs = (ms: number) => Math.round(ms) / 1000;
