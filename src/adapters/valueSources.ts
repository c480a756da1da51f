import type { ToolField } from "./toolFields.js";

/**
 * A kind of value the workspace holds, which a flag may be completed with: a dataset id, a column
 * of the dataset named on the same line, a run id, a registered model's name, `name@alias`,
 * `name/version`, an alias or version of the model named on the line, an experiment, a pipeline.
 */
export type ValueSource = "dataset" | "column" | "run" | "model_name" | "model_alias" | "model_version" | "alias" | "version" | "experiment" | "pipeline";

/** What a field of this name holds in every tool, unless TOOL_FIELD says otherwise. */
const FIELD: Readonly<Record<string, readonly ValueSource[]>> = {
  dataset_id: ["dataset"],
  baseline_dataset_id: ["dataset"],
  target: ["column"],
  features: ["column"],
  columns: ["column"],
  run_id: ["run"],
  run_ids: ["run"],
  model_name: ["model_name"],
  model_id: ["model_alias", "model_version", "run"],
  model_a_id: ["model_version", "model_alias"],
  model_b_id: ["model_version", "model_alias"],
  alias: ["alias"],
  version: ["version"],
  experiment: ["experiment"],
  pipeline: ["pipeline"],
};

/**
 * Where one tool's field holds something else than the same name elsewhere: what each accepts is
 * what its description says (register_model takes a run id; retrain_model a registered model, by
 * alias, name or version; sync_mlflow's experiment is MLflow's, not dw's).
 */
const TOOL_FIELD: Readonly<Record<string, readonly ValueSource[]>> = {
  "register_model.model_id": ["run"],
  "evaluate_model.model_id": ["run"],
  "explain_model.model_id": ["run"],
  "retrain_model.model_id": ["model_alias", "model_name", "model_version"],
  "export_model.model_id": ["model_alias", "model_version"],
  "get_ml_status.model_id": ["model_alias", "model_version", "model_name", "run"],
  "sync_mlflow.experiment": [],
};

/**
 * Which workspace values complete `tool`'s `field`, in the order they are offered; none for a field
 * that takes no such value (a number, a free description).
 *
 * @example
 * valueSourcesOf("train_model", toolFields(trainModel).field("features")!); // ["column"]
 */
export function valueSourcesOf(tool: string, field: ToolField): readonly ValueSource[] {
  const key = `${tool}.${field.name}`;
  const sources = Object.hasOwn(TOOL_FIELD, key) ? TOOL_FIELD[key] : Object.hasOwn(FIELD, field.name) ? FIELD[field.name] : [];
  const takesText = field.kind === "string" || field.kind === "any" || (field.kind === "array" && field.itemKind === "string");
  const takesVersion = field.kind === "integer" && sources.length === 1 && sources[0] === "version";
  return takesText || takesVersion ? sources : [];
}

/**
 * The values a field's schema fixes: an enum's members (of the field, or of each item of a list),
 * `true` and `false` for a boolean; empty for any other field.
 *
 * @example
 * schemaValues(toolFields(trainModel).field("algorithm")!); // ["linear_regression", "logistic_regression", …]
 */
export function schemaValues(field: ToolField): string[] {
  if (field.kind === "boolean") return ["true", "false"];
  const s = field.kind === "array" ? field.schema.items : field.schema;
  if (!s) return [];
  const alternatives = [s, ...(s.anyOf ?? []), ...(s.oneOf ?? [])];
  const values = alternatives.flatMap((a) => a.enum ?? []).filter((v) => typeof v === "string" || typeof v === "number");
  return [...new Set(values.map(String))];
}
