/**
 * What a tool's output made or names, for a reader of the execution history to follow, by one
 * rule over the output's fields, most specific first: an endpoint's URL (deploy_model,
 * productionize), a model version as `model/version` (register_model), a run id (train_model,
 * evaluate_model), a dataset id (load_dataset). Undefined when the output has none of them.
 */
export function resultIdOf(output: Record<string, unknown>): string | undefined {
  if (typeof output.endpoint_url === "string") return output.endpoint_url;
  if (typeof output.model_name === "string" && typeof output.version === "number") return `${output.model_name}/${output.version}`;
  if (typeof output.run_id === "string") return output.run_id;
  if (typeof output.dataset_id === "string") return output.dataset_id;
  return undefined;
}
