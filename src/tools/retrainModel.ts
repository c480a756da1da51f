import { z } from "zod";
import { defineTool } from "./defineTool.js";
import { OverrideReason } from "../gates/enforceGates.js";
import { resolveRetrainTarget } from "../deployment/resolveRetrainTarget.js";
import { RetrainOutcome, RetrainThen } from "../deployment/RetrainOutcome.js";
import { confirmServing } from "../server/confirmServing.js";

export const RetrainModelInput = z.strictObject({
  model_id: z
    .string()
    .trim()
    .min(1)
    .describe("What to retrain: name@alias (the version the alias serves), a model name (its production alias), or name/version."),
  dataset_id: z
    .string()
    .min(1)
    .optional()
    .describe("The data to train on; defaults to the dataset the serving version was trained on, as its id now stands (its newest version)."),
  and_then: RetrainThen.default("compare"),
  override_reason: OverrideReason,
});
export type RetrainModelInput = z.infer<typeof RetrainModelInput>;

export const RetrainModelOutput = RetrainOutcome;
export type RetrainModelOutput = RetrainOutcome;

/**
 * Retrains a deployed model when its data drifted or its performance dropped: the serving
 * version's training spec (features, pipeline, algorithm, hyperparameters, seed, evaluation) on the
 * newest version of its dataset, with the gates, as a new run commit; then compares the new model
 * with the version serving on the deployment's recent labelled requests (or the runs' hold-outs
 * when too few labels arrived), or starts an A/B test of the two. Deploys nothing: the answer
 * says what to run next. The sidebar's Retrain button calls it.
 *
 * @example
 * ```ts
 * const r = await dw.retrainModel({ model_id: "temp@production" });
 * r.comparison?.summary; r.next;
 * ```
 */
export const retrainModel = defineTool({
  name: "retrain_model",
  // An A/B test changes what dw serve answers for the alias.
  annotations: { effect: "serves", long: true },
  description:
    "Retrain a deployed model with the serving version's training spec on the newest data, with the gates, then compare it with the version serving on recent labelled requests (or start an A/B test). model_id: name@alias, a model name, or name/version.",
  input: RetrainModelInput,
  output: RetrainModelOutput,
  magic: { positional: "model_id", aliases: { data: "dataset_id", name: "model_id" } },
  async run(input, outer) {
    // Recorded in .dw/trainings/ like train_model (it is train_model's training), so get_ml_status shows it running.
    const { version } = await resolveRetrainTarget(outer.workspace, input.model_id);
    const run = version.run;
    const subject = { tool: "train_model" as const, dataset_id: input.dataset_id ?? run.parameters.dataset_id, target: run.target, algorithm: run.algorithm };
    const { recordTraining } = await import("../runs/recordTraining.js");
    const { retrainDeployment } = await import("../deployment/retrainDeployment.js");
    const { outcome, candidate } = await recordTraining(outer, subject, (ctx, stage) =>
      retrainDeployment(
        ctx,
        {
          modelId: input.model_id,
          andThen: input.and_then,
          ...(input.dataset_id !== undefined ? { datasetId: input.dataset_id } : {}),
          ...(input.override_reason !== undefined ? { overrideReason: input.override_reason } : {}),
          ...(outer.origin?.notebook ? { notebook: outer.origin.notebook.content } : {}),
        },
        // Each stage is a progress line too, so the sidebar's Retrain shows where it is.
        (s) => {
          stage(s);
          outer.progress?.({ message: s, done: 0 });
        },
      ),
    );
    // An A/B test answers once the server serves the new arm, as ab_test_models does.
    const ab = outcome.ab_test;
    if (ab) await confirmServing(await outer.ensureServer(), { model: ab.model, alias: ab.alias, version: ab.new_version, json: candidate.json });
    return outcome;
  },
});
