import { z } from "zod";
import { meanAndStd } from "../data/statistics.js";
import { createRandom, shuffleInto } from "./random.js";

/** One input column's permutation importance: the mean and standard deviation of the drops in the score. */
export const Importance = z.object({ feature: z.string(), mean: z.number(), std: z.number() });
export type Importance = z.infer<typeof Importance>;

/**
 * Permutation importance as sklearn.inspection.permutation_importance computes it: for each input
 * column, the drop from `baseline` when that column's values are shuffled across the `rows` rows,
 * `nRepeats` times with one seeded generator; the mean and standard deviation (ddof 0) of the
 * drops, most important first (ties by name). `scoreShuffled(column, order)` scores the rows with
 * row i of `column` read from row order[i].
 *
 * @example
 * permutationImportance({ columns: ["x", "z"], rows: 300, nRepeats: 5, seed: 0, baseline, scoreShuffled });
 */
export function permutationImportance(o: {
  columns: readonly string[];
  rows: number;
  nRepeats: number;
  seed: number;
  baseline: number;
  scoreShuffled: (column: string, order: Uint32Array) => number;
}): Importance[] {
  const rand = createRandom(o.seed);
  const order = new Uint32Array(o.rows);
  const importances = o.columns.map((name) => {
    const drops: number[] = [];
    for (let r = 0; r < o.nRepeats; r++) drops.push(o.baseline - o.scoreShuffled(name, shuffleInto(order, rand)));
    return { feature: name, ...meanAndStd(drops, 0) };
  });
  return importances.sort((a, b) => b.mean - a.mean || (a.feature < b.feature ? -1 : 1));
}
