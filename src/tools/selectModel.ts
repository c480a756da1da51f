import { z } from "zod";
import { defineTool } from "./defineTool.js";
import { DwError } from "../errors/DwError.js";
import { shuffledRows } from "../models/split.js";
import { DataCharacteristics, dataCharacteristics } from "../training/dataCharacteristics.js";
import { linearCandidate, probeNonlinearity } from "../training/probeNonlinearity.js";
import { DEEP_DEPTH, Nonlinearity, Recommendation, SHALLOW_DEPTH, recommendAlgorithms } from "../training/recommendAlgorithms.js";
import { BakeOffSummary, bakeOff } from "../training/bakeOff.js";
import type { SetStage } from "../runs/recordTraining.js";
import type { ToolContext } from "./ToolContext.js";

/** The probe and the bake-off sample at most this many rows, so the tool stays quick on big data. */
const PROBE_ROWS = 5_000;
const BAKE_OFF_ROWS = 20_000;

export const SelectModelInput = z.strictObject({
  dataset_id: z.string().min(1).describe("The dataset, as load_dataset registered it."),
  target: z.string().min(1).describe("The column to predict."),
  features: z.array(z.string().min(1)).min(1).optional().describe("Columns to predict from; defaults to the columns train_model would use."),
  task: z
    .enum(["regression", "classification"])
    .optional()
    .describe("Defaults as train_model does: classification for a text or boolean target or a numeric one with two values (0/1), else regression."),
  quick: z.boolean().default(false).describe("Also run a short cross-validated bake-off of the candidates and rank them by its score."),
  folds: z.number().int().min(2).max(10).default(3).describe("Folds of the probe's and the bake-off's cross-validation."),
  seed: z.number().int().min(0).default(42).describe("Seed for sampling, folds and the algorithms."),
  time_budget_seconds: z
    .number()
    .positive()
    .optional()
    .describe("With quick: no further candidate is started once this much time has passed (the probe always runs)."),
});
export type SelectModelInput = z.infer<typeof SelectModelInput>;

export const SelectModelOutput = z.object({
  dataset_id: z.string(),
  target: z.string(),
  task: z.enum(["regression", "classification"]),
  features: z.array(z.string()),
  characteristics: DataCharacteristics.extend({ nonlinearity: Nonlinearity }),
  recommendations: z.array(z.object({ rank: z.number().int(), ...Recommendation.shape })),
  notes: z.array(z.string()),
  bake_off: BakeOffSummary.optional(),
});
export type SelectModelOutput = z.infer<typeof SelectModelOutput>;

/**
 * Recommends algorithms for a target from what the data is like: the task, its size, the share of
 * text and missing values, class balance, and non-linearity measured by a probe (linear or logistic
 * regression against a shallow decision tree, cross-validated on at most 5,000 sampled rows). With
 * `quick`, it also runs a short k-fold bake-off (on at most 20,000 rows; forests of 50 trees,
 * boosting of 100 iterations) and ranks the candidates by their mean R² or accuracy. Fits run on
 * a worker thread, as train_model's do: each cross-validated fold is reported as progress, and an
 * interrupt stops the call with INTERRUPTED. Nothing is written to the workspace.
 *
 * @example
 * ```ts
 * const s = await dw.selectModel({ dataset_id: "seattle-weather", target: "temp_max", quick: true });
 * s.recommendations[0].algorithm; // e.g. "gradient_boosting"
 * ```
 */
export const selectModel = defineTool({
  name: "select_model",
  annotations: { effect: "reads", long: true },
  description:
    "Recommend algorithms for a target with a rationale from the data (task, size, categorical and missing shares, class imbalance, non-linearity from a quick probe); with quick, rank them by a short cross-validated bake-off.",
  input: SelectModelInput,
  output: SelectModelOutput,
  magic: { aliases: { data: "dataset_id" } },
  // Recorded in .dw/trainings/ while it runs, so get_ml_status and the sidebar see its stage and progress.
  async run(input, outer) {
    const { recordTraining } = await import("../runs/recordTraining.js");
    return recordTraining(outer, { tool: "select_model", dataset_id: input.dataset_id, target: input.target }, (ctx, stage) => select(input, ctx, stage));
  },
});

async function select(input: SelectModelInput, ctx: ToolContext, stage: SetStage): Promise<SelectModelOutput> {
  stage("loading data");
  const t0 = performance.now();
  const { prepareTrainingData } = await import("../training/prepareTrainingData.js");
  const data = await prepareTrainingData(ctx.workspace, {
    datasetId: input.dataset_id,
    target: input.target,
    features: input.features,
    task: input.task,
    featuresOption: "features",
  });
  const { keep } = data;
  const minRows = Math.max(10, input.folds * 2);
  if (keep.length < minRows) {
    throw new DwError("DATA_ERROR", `Only ${keep.length} rows have a value for '${input.target}': too few for ${input.folds}-fold cross-validation.`, {
      hint: "Use more data, or fewer folds.",
      details: { field: "target", column: input.target, rows: keep.length },
    });
  }
  // Probe and bake-off draw from one seeded order: a sample is its first rows.
  const shuffled = shuffledRows(keep, input.seed);
  const sample = (n: number) => shuffled.slice(0, Math.min(n, keep.length));
  const { characteristics, notes } = dataCharacteristics(data);
  stage("probing non-linearity");
  const nonlinearity = await probeNonlinearity(data, { rows: sample(PROBE_ROWS), folds: input.folds, seed: input.seed }, ctx);
  const ch = { ...characteristics, nonlinearity };
  const treeDepth = nonlinearity.deep_tree > nonlinearity.shallow_tree ? DEEP_DEPTH : SHALLOW_DEPTH;
  let ranked = recommendAlgorithms(data.task, ch, linearCandidate(data.task), treeDepth);
  let bake: SelectModelOutput["bake_off"];
  if (input.quick) {
    stage("bake-off");
    const rows = sample(BAKE_OFF_ROWS);
    const b = await bakeOff(data, ranked, { rows, folds: input.folds, seed: input.seed, startedAt: t0, budgetSeconds: input.time_budget_seconds }, ctx);
    ranked = b.ranked;
    bake = b.summary;
    if (b.note) notes.push(b.note);
  }
  return {
    dataset_id: data.record.dataset_id,
    target: input.target,
    task: data.task,
    features: data.featureNames,
    characteristics: ch,
    recommendations: ranked.map((r, i) => ({ ...r, rank: i + 1 })),
    notes,
    ...(bake ? { bake_off: bake } : {}),
  };
}
