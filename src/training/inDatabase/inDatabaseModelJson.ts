import type { ModelJson } from "../../models/ModelJson.js";
import { inputSignature } from "../../models/preprocessing.js";
import type { InDatabaseLinearFit } from "./trainLinearInDatabase.js";

/**
 * The model.json of a linear regression trained inside a database, in the key order train_model
 * writes every model.json: what scoring needs (signature, the imputation pipeline, intercept and
 * coefficients), where it came from (`training_data` with `where: "in_database"`, its sha256 that of
 * the table's content fingerprint: inDatabaseDataSha256) and no reference statistics: deciles of a
 * column need its rows sorted, which is what training in the database avoids. reproduce_run builds
 * it the same way from the SQL run again.
 *
 * @example
 * ```ts
 * const json = inDatabaseModelJson(fit, { datasetId: "sales", sha256, hyperparameters: {}, runId, now });
 * json.params; // { kind: "linear_regression", intercept: 1.2, coefficients: [0.5, -3] }
 * ```
 */
export function inDatabaseModelJson(
  fit: Pick<InDatabaseLinearFit, "pipeline" | "fit" | "rows">,
  o: { target: string; datasetId: string; sha256: string; hyperparameters: Record<string, unknown>; runId: string; now: Date },
): ModelJson {
  return {
    format: "dw.model/1",
    algorithm: "linear_regression",
    task: "regression",
    target: o.target,
    hyperparameters: o.hyperparameters,
    signature: { inputs: inputSignature(fit.pipeline), outputs: [{ name: o.target, type: "double" }] },
    preprocessing: fit.pipeline,
    params: { kind: "linear_regression", intercept: fit.fit.intercept, coefficients: fit.fit.coefficients },
    training_data: { dataset_id: o.datasetId, sha256: o.sha256, rows: fit.rows.train, where: "in_database" },
    reference_stats: {},
    created_at: o.now.toISOString(),
    run_id: o.runId,
  };
}
