import { z } from "zod";
import { defineTool } from "./defineTool.js";
import { MAX_CATEGORIES } from "../models/preprocessing.js";
import { ALGORITHMS } from "../models/algorithms.js";
import { OverrideReason } from "../gates/enforceGates.js";
import { GateStatus } from "../policy/GateReport.js";
import { TrainingDecisions } from "../training/TrainingDecisions.js";
import { DEFAULT_SAMPLE_ROWS, MAX_SAMPLE_ROWS } from "../training/inDatabase/sampleSize.js";
import { DwError } from "../errors/DwError.js";
import { SampleDefinition } from "../training/inDatabase/SampleDefinition.js";
import { defaultAlgorithm } from "../training/defaultAlgorithm.js";

export const TrainModelInput = z
  .strictObject({
    dataset_id: z
      .string()
      .min(1)
      .optional()
      .describe(
        "The dataset to train on, as load_dataset registered it. With table or query: the name the run records the SQL source under (default: the table name, or query-<hash>).",
      ),
    table: z
      .string()
      .min(1)
      .optional()
      .describe(
        "Train where a SQL table lives, without loading it: a table of the connection (sales.orders), or in the embedded DuckDB a file path or a dataset id. linear_regression trains inside the database; the other algorithms on a seeded sample of sample_rows rows.",
      ),
    query: z.string().min(1).optional().describe("Like table, for the rows of a SQL query (one SELECT)."),
    connection: z
      .string()
      .min(1)
      .optional()
      .describe(
        "With table or query: duckdb:<path> (a DuckDB database file, read in place), a postgres:// URL, or a name whose URL is in DW_CONNECTION_<NAME>; the embedded DuckDB when absent. The password is never stored.",
      ),
    sample_rows: z
      .number()
      .int()
      .min(1)
      .max(MAX_SAMPLE_ROWS)
      .optional()
      .describe(
        `With table or query and an algorithm other than linear_regression: the size of the seeded sample trained on (the rows with the smallest row hash for the seed; default ${DEFAULT_SAMPLE_ROWS.toLocaleString("en-US")}). The run records it in data/sample.json, so it can be drawn again.`,
      ),
    target: z.string().min(1).describe("The column to predict."),
    features: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .describe(
        `Columns to predict from; defaults to every column but the target that is numeric, boolean, a date, or text with at most ${MAX_CATEGORIES} values.`,
      ),
    algorithm: z
      .enum(ALGORITHMS)
      .optional()
      .describe(
        "Learning algorithm. Default: linear_regression for a regression, logistic_regression for a classification (decisions.algorithm says which). xgboost and lightgbm are trained with dw's histogram gradient boosting.",
      ),
    task: z
      .enum(["regression", "classification"])
      .optional()
      .describe(
        "Defaults to classification for a text or boolean target, a numeric one with two values (0/1), or logistic_regression; else regression (decisions.task says which rule applied, and warns when a target of few whole values may be class labels).",
      ),
    hyperparameters: z
      .record(z.string(), z.unknown())
      .default({})
      .describe("Algorithm settings, named as scikit-learn names them (e.g. max_depth, n_estimators, learning_rate, C, l2)."),
    test_size: z.number().gt(0).lt(1).default(0.2).describe("Share of rows held out to evaluate the model (holdout evaluation)."),
    cv_folds: z
      .number()
      .int()
      .min(2)
      .max(20)
      .optional()
      .describe("Evaluate by k-fold cross-validation instead of a holdout; the model is then fitted on all rows."),
    seed: z.number().int().min(0).default(42).describe("Seed for the split and the algorithm: the same seed gives the same run."),
    experiment: z.string().min(1).optional().describe("Attach the run to this experiment (made with create_experiment)."),
    time_budget_seconds: z
      .number()
      .positive()
      .optional()
      .describe("Stop adding trees or boosting iterations once this much time has passed; the model keeps what it has built."),
    pipeline: z
      .string()
      .min(1)
      .optional()
      .describe("A named feature pipeline (create_feature_pipeline) to preprocess with; its features are the default features."),
    pipeline_version: z.number().int().min(1).optional().describe("Version of the named pipeline; defaults to the newest."),
    override_reason: OverrideReason,
  })
  .check((ctx) => {
    // Data is required: a dataset_id, or a SQL table or query. Reported first, as the missing
    // dataset_id it was before SQL sources existed, so an input with a misspelt field names both.
    const v = ctx.value;
    if (v.dataset_id === undefined && v.table === undefined && v.query === undefined) {
      ctx.issues.unshift({
        code: "invalid_type",
        expected: "string",
        input: undefined,
        path: ["dataset_id"],
        message: "Invalid input: expected string, received undefined (or train where a SQL table lives: table or query, with connection)",
      });
    }
  });
export type TrainModelInput = z.infer<typeof TrainModelInput>;

export const TrainModelOutput = z.object({
  run_id: z.string().describe("The run's id; its commit is refs/dw/runs/<run_id>."),
  model_id: z.string().describe("Id of the trained model, to pass to register_model (the same as run_id)."),
  commit: z.string(),
  dataset_id: z.string(),
  algorithm: z.string(),
  estimator: z.string().describe("What was fitted: differs from algorithm for xgboost and lightgbm."),
  note: z.string().optional(),
  task: z.enum(["regression", "classification"]),
  target: z.string(),
  classes: z.array(z.union([z.string(), z.number(), z.boolean()])).optional(),
  features: z.array(z.string()),
  encoded_features: z.array(z.string()).describe("The columns after preprocessing (one-hot, date parts, interactions), as the estimator sees them."),
  hyperparameters: z.record(z.string(), z.unknown()),
  evaluation: z.enum(["holdout", "kfold"]),
  metrics: z.record(z.string(), z.number()).describe("On held-out rows (mean over folds for k-fold)."),
  confusion_matrix: z.array(z.array(z.number())).optional(),
  rows: z.object({ train: z.number().int(), test: z.number().int(), dropped_missing: z.number().int() }),
  model: z.record(z.string(), z.unknown()).describe("A summary of the fitted model: coefficients for linear models, tree counts for ensembles."),
  timings: z.object({ load_s: z.number(), fit_s: z.number(), evaluate_s: z.number(), total_s: z.number() }),
  experiment: z.string().optional(),
  stopped_early: z.boolean().optional().describe("True when the time budget ended the fit before every tree or iteration was built."),
  gates: z
    .array(z.object({ gate: z.string(), status: GateStatus, summary: z.string() }))
    .describe("The quality, governance and cost gates run before fitting; their full reports are gates/<gate>.json in the run commit."),
  override: z
    .object({ reason: z.string(), by: z.string(), gates: z.array(z.string()) })
    .optional()
    .describe("Set when a failed gate was overridden with override_reason."),
  trained_on: z
    .object({
      where: z.enum(["in_database", "sample"]),
      engine: z.enum(["duckdb", "postgres"]),
      rows: z.number().int().describe("in_database: rows in the source; sample: rows in the sample."),
      record: z
        .string()
        .describe(
          "Where what was trained on is recorded: data/in_database.json in the run commit (the SQL that ran), or the sample's dataset record (its query is the SQL that drew it).",
        ),
    })
    .optional()
    .describe("Set for a SQL source: trained inside the database (linear_regression), or on a seeded sample of it."),
  sample: SampleDefinition.optional().describe("For a sample: how it was drawn (engine and version, population, seed, size, the SQL), to draw it again."),
  decisions: TrainingDecisions.describe(
    "What dw decided for you and why: the task and the rule that chose it (with a warning when it may be wrong), the features used and every column left out with its reason, and the gates' verdicts.",
  ),
});
export type TrainModelOutput = z.infer<typeof TrainModelOutput>;

/**
 * Trains a model on a dataset — a fitted preprocessing pipeline (imputation, one-hot encoding,
 * date parts, scaling where the algorithm needs it) and an estimator — evaluates it on held-out
 * rows or by k-fold, and snapshots the run as a git commit (parameters, metrics, data manifest,
 * model, and the notebook and cell it came from) under refs/dw/runs/<run_id>. A failed run writes
 * nothing.
 *
 * @example
 * ```ts
 * const run = await dw.trainModel({ dataset_id: "seattle-weather", target: "weather", algorithm: "random_forest" });
 * run.metrics.accuracy;
 * ```
 */
export const trainModel = defineTool({
  name: "train_model",
  annotations: { effect: "writes", long: true },
  description:
    "Train a model (linear or logistic regression, decision tree, random forest, gradient boosting) on a dataset, evaluate it on held-out rows, and snapshot the run (parameters, metrics, data manifest, model, notebook) as a git commit.",
  input: TrainModelInput,
  output: TrainModelOutput,
  magic: { aliases: { data: "dataset_id" } },
  // Recorded in .dw/trainings/ while it runs, so get_ml_status and the sidebar see its stage and progress.
  async run(input, outer) {
    const { table, query, connection, sample_rows, ...rest } = input;
    const fromSql = table !== undefined || query !== undefined;
    if (table !== undefined && query !== undefined) {
      throw new DwError("INVALID_INPUT", "train_model takes a table or a query, not both.", {
        hint: "Pass table for a whole table, or query for the rows of a SELECT.",
        details: { field: "query" },
      });
    }
    if (!fromSql) {
      const stray = (["connection", "sample_rows"] as const).find((k) => input[k] !== undefined);
      if (stray !== undefined) {
        throw new DwError("INVALID_INPUT", `${stray} is only used with table or query.`, {
          hint: "Pass the SQL table (or query) to train on, or drop it.",
          details: { field: stray },
        });
      }
    }
    const { recordTraining } = await import("../runs/recordTraining.js");
    const subject = { tool: "train_model" as const, dataset_id: rest.dataset_id ?? table ?? "query", target: input.target, algorithm: input.algorithm };
    if (fromSql) {
      const source = { ...(table !== undefined ? { table } : { query: query! }), ...(connection !== undefined ? { connection } : {}) };
      const { trainInDatabaseSource } = await import("../gates/trainInDatabaseSource.js");
      // Before the rows are read the task is known only when asked: a SQL source's default is then
      // the in-database linear regression, or a logistic regression on the sample for a classification.
      const algorithm = rest.algorithm ?? defaultAlgorithm(rest.task ?? "regression");
      return recordTraining(outer, { ...subject, algorithm }, (ctx, stage) => trainInDatabaseSource({ ...rest, algorithm, source, sample_rows }, ctx, stage));
    }
    const datasetId = rest.dataset_id;
    if (datasetId === undefined) {
      throw new DwError("INVALID_INPUT", "train_model needs data: a dataset_id, or a SQL table or query.", {
        hint: "Pass dataset_id (as load_dataset registered it), or table (with connection) to train where the table lives.",
        details: { field: "dataset_id" },
      });
    }
    const { trainWithGates } = await import("../gates/trainWithGates.js");
    return recordTraining(outer, subject, (ctx, stage) => trainWithGates({ ...rest, dataset_id: datasetId }, ctx, stage));
  },
});
