import type { GetPromptResult, Prompt } from "@modelcontextprotocol/sdk/types.js";
import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import { ALIAS_RULE, DATASET_ID, MODEL_NAME_RULE, isAlias, isModelName } from "../workspace/refNames.js";
import { resourceUri } from "./resourceUris.js";

/**
 * The prompts dw offers agents that show prompts: the product's workflow from a loaded dataset to
 * a monitored endpoint, and what to do when an endpoint's data drifts. Each names the tools and the
 * fields to pass, so an agent follows dw's path rather than guessing one.
 */
export const PROMPTS: readonly Prompt[] = [
  {
    name: "train_and_deploy",
    title: "Train and deploy a model",
    description:
      "From a loaded dataset to a monitored endpoint: suggest_features → select_model → train_model → register_model → deploy_model → detect_model_drift, stopping to report at each gate.",
    arguments: [
      { name: "dataset_id", description: "The loaded dataset to train on (load_dataset returns it; search_datasets lists them).", required: true },
      { name: "target", description: "The column to predict.", required: true },
      { name: "model_name", description: `The registered model's name (${MODEL_NAME_RULE}).`, required: true },
    ],
  },
  {
    name: "investigate_drift",
    title: "Investigate drift on an endpoint",
    description: "Check a deployed model's traffic for drift, find the columns that moved, and decide between retraining, an A/B test and doing nothing.",
    arguments: [
      { name: "model_name", description: "The deployed model.", required: true },
      { name: "alias", description: "The deployed alias (default production).", required: false },
    ],
  },
];

/**
 * The messages of prompt `name` with its arguments, checked first (a model name, an alias, a
 * dataset id by dw's rules), and quoted as JSON where they appear, so an argument reads as a value,
 * never as an instruction. An unknown prompt or a bad argument is a protocol error (InvalidParams).
 */
export function getPrompt(name: string, args: Record<string, string> = {}): GetPromptResult {
  const prompt = PROMPTS.find((p) => p.name === name);
  if (!prompt) throw new McpError(ErrorCode.InvalidParams, `There is no prompt '${name.slice(0, 80)}'. Prompts: ${PROMPTS.map((p) => p.name).join(", ")}.`);
  for (const a of prompt.arguments ?? []) {
    if (a.required && !args[a.name]) throw new McpError(ErrorCode.InvalidParams, `The prompt ${name} needs the argument ${a.name}: ${a.description}`);
  }
  const text = name === "train_and_deploy" ? trainAndDeploy(args) : investigateDrift(args);
  return { description: prompt.description, messages: [{ role: "user", content: { type: "text", text } }] };
}

function trainAndDeploy(args: Record<string, string>): string {
  const dataset = checked(
    args.dataset_id,
    (d) => DATASET_ID.test(d),
    "dataset_id",
    "a dataset id: letters, digits, '.', '_' and '-', starting with a letter or digit",
  );
  const model = checked(args.model_name, isModelName, "model_name", MODEL_NAME_RULE);
  if (args.target.length > 500) throw new McpError(ErrorCode.InvalidParams, "The argument target is longer than a column name can be (500 characters).");
  const d = JSON.stringify(dataset);
  const t = JSON.stringify(args.target);
  const m = JSON.stringify(model);
  return [
    `Train a model that predicts the column ${t} of the dataset ${d} with dw's tools, register it as ${m} and deploy it. Go step by step, and after each step tell me in a sentence what the tool found.`,
    "",
    `1. suggest_features {"dataset_id": ${d}, "target": ${t}}: which columns carry signal, which to drop (identifiers, leaks) and which transforms it proposes. Keep its suggested features.`,
    `2. select_model {"dataset_id": ${d}, "target": ${t}, "features": <the features from step 1>}: the algorithms it recommends, with cross-validated scores. Take the best one.`,
    `3. train_model {"dataset_id": ${d}, "target": ${t}, "features": <…>, "algorithm": <from step 2>}: it runs the quality, governance and cost gates first. If it fails with GATE_FAILED, show me the failing findings and stop; never pass override_reason unless I give you the reason.`,
    `4. register_model {"model_id": <the run_id from step 3>, "model_name": ${m}}: the next version of ${m}. Its record is ${resourceUri.model(model)}.`,
    `5. deploy_model {"model_name": ${m}, "alias": "production"}: the deploy gate checks approvals, minimum metrics and the model card; it answers with the endpoint's URL. On GATE_FAILED, show the findings and stop.`,
    `6. detect_model_drift {"model_id": "${model}@production"}: once the endpoint has had traffic, it compares that traffic with the training data; with too few requests so far, say when to check again.`,
    "",
    `Cite what you report by its dw:// address (for example ${resourceUri.model(model)}/<version> and ${resourceUri.runs()}/<run_id>), and end with the metrics of the deployed version and the endpoint URL.`,
  ].join("\n");
}

function investigateDrift(args: Record<string, string>): string {
  const model = checked(args.model_name, isModelName, "model_name", MODEL_NAME_RULE);
  const alias = args.alias ? checked(args.alias, isAlias, "alias", ALIAS_RULE) : "production";
  const id = JSON.stringify(`${model}@${alias}`);
  return [
    `Find out whether the data reaching ${id} has drifted from what it was trained on, and what to do about it.`,
    "",
    `1. get_ml_status {"model_id": ${id}}: the version it serves, since when, its traffic and the last drift check. Its record is ${resourceUri.deployment(model, alias)}.`,
    `2. detect_model_drift {"model_id": ${id}}: each input column and the prediction, with the test used and its score. Name the columns that drifted and by how much.`,
    `3. explain_model {"model_id": <the run_id of the serving version>}: whether the drifted columns matter to the model (permutation importance).`,
    `4. If drifted columns matter: retrain_model {"model_id": ${id}, "and_then": "compare"} trains on the newest data with the same spec and compares the two versions on recent labelled requests. Recommend ab_test_models or deploy_model from that comparison, and wait for my go-ahead before either.`,
    "",
    "Cite the drift report, the versions and runs by their dw:// addresses. If nothing drifted, say so and when the next scheduled check runs.",
  ].join("\n");
}

function checked(value: string, valid: (v: string) => boolean, field: string, rule: string): string {
  if (!valid(value)) throw new McpError(ErrorCode.InvalidParams, `The argument ${field} '${value.slice(0, 80)}' is not valid: use ${rule}.`);
  return value;
}
