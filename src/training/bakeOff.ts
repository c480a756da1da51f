import { z } from "zod";
import { defaultScoring } from "../models/scorers.js";
import { crossValidatedScore, type Watch } from "./crossValidatedScore.js";
import type { TrainingData } from "./prepareTrainingData.js";
import type { Candidate, Recommendation } from "./recommendAlgorithms.js";

/** What a bake-off did. */
export const BakeOffSummary = z.object({
  rows: z.number().int(),
  folds: z.number().int(),
  metric: z.enum(["r2", "accuracy"]),
  completed: z.array(z.string()),
  skipped: z.array(z.string()).describe("Candidates not run because the time budget ran out."),
  elapsed_s: z.number(),
});
export type BakeOffSummary = z.infer<typeof BakeOffSummary>;

/**
 * A short cross-validated bake-off of the recommended candidates on `rows` (already shuffled),
 * with small ensembles (bakeOffHyperparameters) so it stays quick. No candidate is started once
 * `budgetSeconds` have passed since `startedAt` (a performance.now()). Returns the candidates ranked by
 * mean score (ties: the earlier one), the unscored after them in their order, with a note when the
 * budget ran out.
 *
 * @example
 * ```ts
 * const { ranked, summary } = await bakeOff(data, recommendations, { rows, folds: 3, seed: 42, startedAt }, ctx);
 * ```
 */
export async function bakeOff(
  data: TrainingData,
  recommendations: Recommendation[],
  o: { rows: Int32Array; folds: number; seed: number; startedAt: number; budgetSeconds?: number },
  watch: Watch,
): Promise<{ ranked: Recommendation[]; summary: BakeOffSummary; note?: string }> {
  const metric = defaultScoring(data.task);
  const budgetMs = (o.budgetSeconds ?? Infinity) * 1000;
  const completed: string[] = [];
  const skipped: string[] = [];
  for (const r of recommendations) {
    if (performance.now() - o.startedAt >= budgetMs) {
      skipped.push(r.algorithm);
      continue;
    }
    const hp = bakeOffHyperparameters(r.algorithm, r.hyperparameters);
    const s = await crossValidatedScore(
      data,
      { estimator: r.algorithm, hyperparameters: hp, rows: o.rows, folds: o.folds, seed: o.seed, scoring: metric, label: `bake-off ${r.algorithm}` },
      watch,
    );
    r.cv = { metric, mean: s.mean, std: s.std, fold_scores: s.scores, fit_s: secs(s.fitMs), hyperparameters: hp };
    r.rationale += ` Bake-off (${o.folds}-fold, ${o.rows.length} rows): ${metric} ${fmt(s.mean)} ± ${fmt(s.std)}, fitted in ${secs(s.fitMs)} s.`;
    completed.push(r.algorithm);
  }
  const note = skipped.length
    ? `The time budget of ${o.budgetSeconds} s ran out: ${skipped.join(", ")} ${skipped.length === 1 ? "was" : "were"} not cross-validated and ${skipped.length === 1 ? "is" : "are"} ranked after the candidates that were, in the order the data's characteristics suggest.`
    : undefined;
  // Scored candidates by mean score (ties: the simpler, earlier one); unscored keep their order after them.
  const ranked = [...recommendations.filter((r) => r.cv).sort((a, b) => b.cv!.mean - a.cv!.mean), ...recommendations.filter((r) => !r.cv)];
  const summary = { rows: o.rows.length, folds: o.folds, metric, completed, skipped, elapsed_s: secs(performance.now() - o.startedAt) };
  return { ranked, summary, ...(note ? { note } : {}) };
}

/** The bake-off keeps ensembles small so it stays quick: 50 trees, 100 boosting iterations. */
function bakeOffHyperparameters(algorithm: Candidate, hp: Record<string, unknown>): Record<string, unknown> {
  if (algorithm === "random_forest") return { ...hp, n_estimators: 50 };
  if (algorithm === "gradient_boosting") return { ...hp, max_iter: 100 };
  return hp;
}

const secs = (ms: number) => Math.round(ms) / 1000;
const fmt = (x: number) => x.toFixed(3);
