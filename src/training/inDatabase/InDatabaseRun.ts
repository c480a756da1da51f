import { z } from "zod";
import { RowHash } from "./RowHash.js";

/** Where an in-database run commit keeps what it ran (data/in_database.json). */
export const IN_DATABASE_PATH = "data/in_database.json";

/**
 * Relative difference two runs of the same SQL may show in a number of model.json or the metrics:
 * DuckDB sums in parallel, in an order the scheduler picks, so a sum can differ in its last bits
 * between runs; 1e-9 is far above that (about 1e-16 × √n relative per sum, amplified by the
 * features' conditioning) and far below any change of the data.
 */
export const IN_DATABASE_TOLERANCE = 1e-9;

/**
 * data/in_database.json: a linear regression trained inside the database, recorded so that it can
 * be rebuilt by running the same SQL again (reproduce_run) and read by someone who never saw it:
 * where it ran (engine, version, connection without password), on what (the table or query as
 * given, its row count and content fingerprint), how (target, features, split, ridge penalty) and
 * the SQL itself, word for word.
 */
export const InDatabaseRun = z.strictObject({
  method: z.literal("sufficient_statistics").describe("n, Σx, Σy, XᵀX, Xᵀy, Σy² by one aggregate query; solved in dw as fitLinear solves."),
  engine: z.enum(["duckdb", "postgres"]),
  engine_version: z.string().describe("SELECT version() where it ran: the split's row hash is the engine's function."),
  connection: z.string().describe("The connection as given when it holds no password (a name, duckdb, duckdb:<path>), else the URL without it."),
  connection_redacted: z.boolean().describe("True when connection lost its password: reproducing needs a named connection instead."),
  source: z.union([z.strictObject({ table: z.string().min(1) }), z.strictObject({ query: z.string().min(1) })]),
  target: z.string().min(1),
  features: z.array(z.string().min(1)).min(1),
  seed: z.number().int().min(0),
  test_size: z.number().min(0).lt(1),
  l2: z.number().min(0),
  rows: z.object({
    total: z.number().int().min(0).describe("Rows in the source when it ran."),
    train: z.number().int().min(0),
    test: z.number().int().min(0),
    dropped_missing: z.number().int().min(0).describe("Rows without a target value."),
  }),
  fingerprint: z
    .object({ row_hash_sum: z.string().regex(/^-?\d+$/), seed: z.number().int().min(0) })
    .describe("The sum of every row's hash for the seed (decimal): with rows.total, what the data's sha256 in the manifest and model.json is the sha256 of."),
  split: z
    .object({
      buckets: z.number().int().positive(),
      hash: z.string().min(1),
      row_hash: RowHash.optional().describe(
        "The engine function hash calls (recorded from 2026-12-05; an older record's is recognised from hash itself): reproduce_run repeats the split with it.",
      ),
    })
    .describe("A row is held out when hash % buckets < test_size × buckets."),
  evaluation: z
    .literal("in_database")
    .describe("The held-out rows are scored by one aggregate query (r2, rmse, mae as regressionMetrics defines them); no row leaves the database."),
  training: z.object({ r2: z.number(), rmse: z.number() }).describe("On the training rows, from the sufficient statistics alone."),
  tolerance: z.number().positive().describe("Relative difference reproduce_run accepts in each number (DuckDB's parallel sums)."),
  sql: z.object({
    impute: z.array(z.string()),
    moments: z.string(),
    evaluate: z.string().optional(),
    train_rows: z.string().describe("Selects the training rows over the source (for a look, not run by the training)."),
    test_rows: z.string(),
  }),
  timings_ms: z.record(z.string(), z.number()),
});
export type InDatabaseRun = z.infer<typeof InDatabaseRun>;
