import type { DomainContext } from "../workspace/DomainContext.js";
import type { Dataset } from "../data/Dataset.js";
import type { Task } from "../models/estimators.js";
import type { GateReport } from "../policy/GateReport.js";
import { runQualityGate } from "../quality/runQualityGate.js";
import { governanceGateForTraining } from "../governance/policy/governanceGateForTraining.js";
import { costGateForTraining } from "../cost/costGateForTraining.js";
import { columnFromValues } from "../data/columnsFromValues.js";
import { openSqlEngine, type SqlSource } from "../data/sql/sqlEngine.js";
import { quoteIdent } from "../data/sql/sqlText.js";
import { rowHashSql } from "../training/inDatabase/rowHashSql.js";
import { engineRowHashes } from "../training/inDatabase/engineRowHashes.js";

/** Rows of the feature columns the PII scan reads: what the governance gate samples of a dataset too. */
export const PII_SAMPLE_ROWS = 1_000;

/**
 * train_model's three gates for a SQL table trained where it lives, without exporting it: quality
 * on the profile computed by aggregate queries in the database (runQualityGate with a source:
 * profileSqlTable), governance (PII) on a seeded sample of the feature columns (the rows with the
 * smallest row hash for the seed, at most PII_SAMPLE_ROWS, fetched by one top-n query), and cost
 * on the table's row count, as for any training.
 *
 * @example
 * ```ts
 * const reports = await trainInDatabaseGates(ctx, { datasetId: "sales", source: { table: "sales", connection: "duckdb:w.duckdb" }, target: "y", features: ["x"], algorithm: "linear_regression", task: "regression", hyperparameters: {}, seed: 42 });
 * ```
 */
export async function trainInDatabaseGates(
  ctx: DomainContext,
  args: {
    datasetId: string;
    source: SqlSource;
    target: string;
    features: string[];
    algorithm: string;
    task: Task;
    hyperparameters: Record<string, unknown>;
    seed: number;
  },
): Promise<GateReport[]> {
  const quality = await runQualityGate(ctx, { datasetId: args.datasetId, source: args.source, target: args.target, features: args.features, task: args.task });
  const sample = await featureSample(ctx, args.source, args.features, args.seed);
  const governance = await governanceGateForTraining(ctx, { datasetId: args.datasetId, ds: sample, features: args.features, target: args.target });
  const cost = await costGateForTraining(ctx, {
    rows: Math.max(1, quality.rows),
    features: args.features.length,
    algorithm: args.algorithm,
    hyperparameters: args.hyperparameters,
    task: args.task,
  });
  return [quality, governance, cost];
}

/** The feature columns of the rows with the smallest row hash (all columns, the seed): the same rows every time. */
async function featureSample(ctx: DomainContext, source: SqlSource, features: string[], seed: number): Promise<Dataset> {
  const db = await openSqlEngine(ctx, source, { readInPlace: true });
  try {
    const [rowHash] = await engineRowHashes(db);
    const hash = rowHashSql(db.engine, db.columns, seed, rowHash);
    const rows = await db.all(`SELECT ${features.map(quoteIdent).join(", ")} FROM ${db.relation} ORDER BY ${hash} LIMIT ${PII_SAMPLE_ROWS}`);
    const columns = features.map((name, j) =>
      columnFromValues(
        name,
        rows.length,
        (i) => rows[i][j],
        (i) => ({ line: i + 1 }),
      ),
    );
    return { columns, rows: rows.length };
  } finally {
    await db.close();
  }
}
