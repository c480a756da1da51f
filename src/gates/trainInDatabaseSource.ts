import { ingestDataset } from "../data/ingestDataset.js";
import type { SetStage } from "../runs/recordTraining.js";
import { defineSample } from "../training/inDatabase/defineSample.js";
import type { SampleDefinition } from "../training/inDatabase/SampleDefinition.js";
import { DEFAULT_SAMPLE_ROWS } from "../training/inDatabase/sampleSize.js";
import { documentText } from "../workspace/documentText.js";
import { trainWithGates, type TrainContext } from "./trainWithGates.js";
import { trainInDatabaseLinear, type InDatabaseTrainSpec, type SqlTrainedRun } from "./trainInDatabaseLinear.js";
import { sqlSourceDatasetId } from "../training/inDatabase/sqlSourceDatasetId.js";

/**
 * train_model on a SQL table or query, where it lives: a linear regression trains inside the
 * database (trainInDatabaseLinear: nothing exported); every other algorithm trains in dw on a
 * seeded sample of `sample_rows` rows (default DEFAULT_SAMPLE_ROWS): the rows with the smallest row
 * hash for the seed, drawn by one top-n query (defineSample) and registered as the dataset
 * `<name>.sample-<seed>-<rows>`, whose record keeps the SQL that drew it, engine and connection.
 * That dataset trains through train_model's ordinary path, gates included, so its run is
 * reproduced byte for byte from the cached sample; the definition (population, engine version, the
 * SQL) is in the answer.
 *
 * @example
 * ```ts
 * const run = await trainInDatabaseSource({ source: { table: "events", connection: "warehouse" }, target: "churned", algorithm: "random_forest", hyperparameters: {}, test_size: 0.2, seed: 42, sample_rows: 100_000 }, ctx, () => {});
 * run.trained_on.where; // "sample"
 * ```
 */
export async function trainInDatabaseSource(
  spec: InDatabaseTrainSpec,
  ctx: TrainContext,
  stage: SetStage,
): Promise<SqlTrainedRun & { sample?: SampleDefinition }> {
  if (spec.algorithm === "linear_regression") return trainInDatabaseLinear(spec, ctx, stage);
  stage("drawing a sample");
  const { source, sample_rows, dataset_id, ...rest } = spec;
  const rows = sample_rows ?? DEFAULT_SAMPLE_ROWS;
  const definition = await defineSample(ctx, { source, seed: spec.seed, rows });
  const datasetId = `${(dataset_id ?? sqlSourceDatasetId(source)).slice(0, 90)}.sample-${spec.seed}-${rows}`;
  // The sample's SQL, run on the connection as given (a URL's password is used, never recorded).
  const { record } = await ingestDataset(ctx, { query: definition.sql, connection: source.connection }, { datasetId });
  // The run commit records how its sample was drawn, so it can be drawn again byte for byte.
  const run = await trainWithGates({ ...rest, dataset_id: datasetId, recordFiles: { "data/sample.json": documentText(definition) } }, ctx, stage);
  return {
    ...run,
    trained_on: { where: "sample", engine: definition.engine, rows: record.rows, record: `.dw/datasets/${datasetId}.json` },
    sample: definition,
  };
}
