import { DwError } from "../errors/DwError.js";
import type { Workspace } from "../workspace/Workspace.js";
import { readDatasetRecord } from "../data/datasetRecords.js";
import { loadModel, type LoadedModel } from "../models/scoreModel.js";
import { MODEL_JSON_LIMITS } from "../models/modelJsonLimits.js";
import type { SetStage } from "../runs/recordTraining.js";
import { trainWithGates, type TrainContext, type TrainedRun } from "../gates/trainWithGates.js";
import { resolveRetrainTarget, type RetrainTarget } from "./resolveRetrainTarget.js";
import { retrainSpec } from "./retrainSpec.js";
import { readLabelledRows } from "./readLabelledRows.js";
import { compareOnLabelledRows, primaryMetric } from "./compareOnLabelledRows.js";
import { startRetrainAbTest } from "./startRetrainAbTest.js";
import type { RetrainComparison, RetrainOutcome, RetrainThen } from "./RetrainOutcome.js";

/** Labelled requests a comparison on live traffic needs; with fewer, the runs' hold-out metrics are compared instead (and said so). */
export const MIN_LABELLED_ROWS = 30;

/** On the hold-outs there is no test: a difference under this share of the serving value is no clear difference. */
const HOLDOUT_TOLERANCE = 0.01;

export interface RetrainArgs {
  /** `name@alias`, a model name (its production alias) or `name/version`. */
  modelId: string;
  /** Default: the dataset id the serving version was trained on, whose current record is its newest version. */
  datasetId?: string;
  andThen: RetrainThen;
  overrideReason?: string;
  /** The notebook (its JSON text), recorded with the registration an A/B test makes. */
  notebook?: string;
}

/** A retraining's answer, and the new model (to confirm the server serves it, when an A/B test started). */
export interface RetrainedDeployment {
  outcome: RetrainOutcome;
  candidate: LoadedModel;
}

/**
 * Retrains a deployment's model: the training spec of the version serving (target, features,
 * feature pipeline, algorithm, hyperparameters, task, evaluation, seed) on the newest version of
 * its dataset, through trainWithGates (the quality, governance and cost gates run; the run is a
 * commit). Then, by `andThen`: `compare` scores the serving version and the new model on the
 * deployment's recent labelled requests (or, with fewer than MIN_LABELLED_ROWS labels, compares
 * the runs' hold-out metrics, labelled as such); `ab_test` registers the new run as the model's next
 * version and starts an A/B test of it against the version serving; `none` only trains. Nothing
 * is deployed: the answer says what to run next.
 *
 * @example
 * ```ts
 * const { outcome } = await retrainDeployment(ctx, { modelId: "temp@production", andThen: "compare" }, () => {});
 * outcome.comparison?.verdict; // "candidate_better"
 * ```
 */
export async function retrainDeployment(ctx: TrainContext, args: RetrainArgs, stage: SetStage): Promise<RetrainedDeployment> {
  const ws = ctx.workspace;
  const target = await resolveRetrainTarget(ws, args.modelId);
  const { model, alias, version } = target;
  if (args.andThen === "ab_test" && alias === null) {
    throw new DwError("INVALID_INPUT", `${model} v${version.version} is served by no alias, so there is no traffic to split in an A/B test.`, {
      hint: `Name a deployment (${model}@production), or use and_then: compare.`,
      details: { field: "and_then" },
    });
  }
  const serving = version.run;
  const spec = retrainSpec(serving.run_id, serving.parameters, { datasetId: args.datasetId, overrideReason: args.overrideReason });
  const record = await readDatasetRecord(ws, spec.dataset_id);
  const trained = await trainWithGates({ ...spec, repeats: `${model} v${version.version}` }, ctx, stage);

  const candidate = await readModel(ws, trained.commit, `run ${trained.run_id}`);
  let comparison: RetrainComparison | null = null;
  let abTest: RetrainOutcome["ab_test"] = null;
  if (args.andThen === "compare") {
    stage("comparing with the version serving");
    const serving = await readModel(ws, version.commit, `${model} v${version.version}`);
    comparison = await compare(ws, target, trained, { serving, candidate });
  } else if (args.andThen === "ab_test" && alias !== null) {
    stage("starting the A/B test");
    abTest = await startRetrainAbTest(ctx, { model, alias, servingVersion: version.version, runId: trained.run_id, notebook: args.notebook });
  }
  const outcome: RetrainOutcome = {
    model,
    alias,
    serving: { version: version.version, run_id: serving.run_id, metrics: serving.metrics },
    dataset: { dataset_id: record.dataset_id, sha256: record.sha256, rows: record.rows, changed: record.sha256 !== serving.data.sha256 },
    run_id: trained.run_id,
    commit: trained.commit,
    algorithm: trained.algorithm,
    task: trained.task,
    evaluation: trained.evaluation,
    metrics: trained.metrics,
    gates: trained.gates,
    ...(trained.override ? { override: trained.override } : {}),
    decisions: trained.decisions,
    and_then: args.andThen,
    comparison,
    ab_test: abTest,
    next: nextSteps(target, trained.run_id, comparison, abTest),
  };
  return { outcome, candidate };
}

async function readModel(ws: Workspace, commit: string, what: string): Promise<LoadedModel> {
  const text = await ws.readText(commit, "model.json", { maxBytes: MODEL_JSON_LIMITS.maxChars });
  if (text === null) throw new DwError("DATA_ERROR", `${what} has no model.json.`, { details: { commit } });
  return loadModel(text, `model.json of ${what}`);
}

/** The comparison on the deployment's labelled requests, or on the runs' hold-outs when too few labels arrived. */
async function compare(
  ws: Workspace,
  target: RetrainTarget,
  trained: TrainedRun,
  models: { serving: LoadedModel; candidate: LoadedModel },
): Promise<RetrainComparison> {
  const serving = target.version;
  const labelled = target.alias ? (await readLabelledRows(ws, target.model, target.alias)).rows : [];
  const base = { labelled_rows: labelled.length, min_labelled_rows: MIN_LABELLED_ROWS };
  const name = `v${serving.version}`;
  if (labelled.length >= MIN_LABELLED_ROWS) {
    const c = compareOnLabelledRows(models.serving, models.candidate, labelled);
    if (c.rows >= MIN_LABELLED_ROWS) {
      const verdict =
        c.p_value !== null && c.p_value < 0.05 && c.difference !== 0
          ? c.difference > 0 === c.higher_is_better
            ? "candidate_better"
            : "serving_better"
          : "no_clear_difference";
      const relative = relativeOf(c.difference, c.serving[c.metric]);
      return {
        basis: "labelled_window",
        rows: c.rows,
        ...base,
        metric: c.metric,
        higher_is_better: c.higher_is_better,
        serving: c.serving,
        candidate: c.candidate,
        difference: Number.isFinite(c.difference) ? c.difference : null,
        relative,
        p_value: c.p_value,
        verdict,
        summary: `On ${c.rows} labelled requests to ${target.model}@${target.alias}: ${c.metric} ${fmt(c.candidate[c.metric])} (new) vs ${fmt(c.serving[c.metric])} (${name}); ${verdictWords(verdict, c.difference, relative, name)}${c.p_value !== null ? ` (paired test p = ${fmt(c.p_value)})` : ""}.`,
      };
    }
  }
  const { metric, higher_is_better } = primaryMetric(trained.task);
  const s = serving.run.metrics[metric];
  const c = trained.metrics[metric];
  const difference = Number.isFinite(s) && Number.isFinite(c) ? c - s : null;
  const relative = difference === null ? null : relativeOf(difference, s);
  const verdict =
    difference === null || relative === null || Math.abs(relative) < HOLDOUT_TOLERANCE
      ? "no_clear_difference"
      : difference > 0 === higher_is_better
        ? "candidate_better"
        : "serving_better";
  const why = target.alias
    ? `Too few labelled requests to ${target.model}@${target.alias} (${labelled.length} of ${MIN_LABELLED_ROWS}; send labels to its /feedback route)`
    : `No alias serves ${target.model} ${name}, so there is no traffic to compare on`;
  return {
    basis: "holdout",
    rows: trained.rows.test,
    ...base,
    metric,
    higher_is_better,
    serving: serving.run.metrics,
    candidate: trained.metrics,
    difference,
    relative,
    p_value: null,
    verdict,
    summary: `${why}: on each run's own held-out rows (not the same rows, not live traffic), ${metric} ${fmt(c)} (new) vs ${fmt(s)} (${name}); ${verdictWords(verdict, difference ?? Number.NaN, relative, name)}.`,
  };
}

function relativeOf(difference: number, servingValue: number | undefined): number | null {
  return servingValue !== undefined && servingValue !== 0 && Number.isFinite(difference) ? difference / Math.abs(servingValue) : null;
}

function verdictWords(verdict: RetrainComparison["verdict"], difference: number, relative: number | null, serving: string): string {
  const by = `${fmt(Math.abs(difference))}${relative !== null ? `, ${(Math.abs(relative) * 100).toFixed(1)}%` : ""}`;
  if (verdict === "candidate_better") return `the new model is better by ${by}`;
  if (verdict === "serving_better") return `${serving} is better by ${by}`;
  return "no clear difference";
}

/** What to run next, as %dw lines after a comment line saying why. */
function nextSteps(target: RetrainTarget, runId: string, comparison: RetrainComparison | null, abTest: RetrainOutcome["ab_test"]): string[] {
  const { model, alias } = target;
  const deploy = `%dw productionize ${runId} --model_name ${model} --alias ${alias ?? "production"}`;
  if (abTest) {
    const test = `--model_name ${model} --alias ${abTest.alias}`;
    return [
      `# Half the traffic of ${model}@${abTest.alias} now goes to v${abTest.new_version}; send labels to its /feedback route, follow the test, and promote the winner once there is one`,
      `%dw ab_test_models --action status ${test}`,
      `%dw ab_test_models --action promote ${test}`,
    ];
  }
  if (!comparison) return ["# Deploy the new run", deploy, "# Or compare it first", `%dw evaluate_model --model_id ${runId}`];
  if (comparison.verdict === "candidate_better") return ["# The new model is better: deploy it", deploy];
  if (comparison.verdict === "serving_better") return [`# Keep v${target.version.version}; the new run stays in the history (git log refs/dw/runs/${runId})`];
  return comparison.basis === "holdout" && alias
    ? [
        `# Too few labels to judge on live traffic: send labels for ${model}@${alias}'s requests (POST /models/${model}@${alias}/feedback) and retrain again; or retrain into an A/B test on live traffic; or deploy this run if its data is newer`,
        `%dw retrain_model ${model}@${alias} --and_then ab_test`,
        deploy,
      ]
    : ["# No clear difference: keep the version serving, or deploy the new run if its data is newer", deploy];
}

function fmt(v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 100 ? v.toFixed(1) : Number(v.toPrecision(3)).toString();
}
