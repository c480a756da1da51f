import { z } from "zod";

/** One metric of the run, as metrics.json stored it and as the rebuild measured it again. */
export const MetricComparison = z.object({
  name: z.string(),
  stored: z.number().nullable().describe("From metrics.json; null when the stored run lacks it."),
  rebuilt: z.number().nullable().describe("Measured again on the same held-out rows (or folds); null when the rebuild lacks it."),
  equal: z.boolean().describe("The same number to the last bit (Object.is), not within a tolerance."),
});
export type MetricComparison = z.infer<typeof MetricComparison>;

/**
 * Something that differs between the run as stored and the rebuild, or that explains why:
 * - `parameter`: params.json disagrees with what run.json or model.json record (a commit edited
 *   after training); the rebuild follows params.json.
 * - `model`: the first differing value of one part of model.json (`hyperparameters`,
 *   `preprocessing`, `params`, …), with its JSON path and both values, and how many values of that
 *   part differ.
 * - `metric`: a metric or the confusion matrix measured differently.
 * - `data`: the data the model records is not the data the manifest names.
 * - `environment`: Node, V8, dw, a dependency, the OS or the CPU differ from the run's, which may
 *   explain a difference in floating point.
 */
export const Difference = z.object({
  kind: z.enum(["parameter", "model", "metric", "data", "environment"]),
  path: z
    .string()
    .describe("Where: a params.json field, a JSON path into model.json (params.model.trees[12].threshold[4]), a metric name, an environment field."),
  stored: z.unknown().optional().describe("The value the commit holds (a long value is cut)."),
  rebuilt: z.unknown().optional().describe("The value rebuilt or found now (a long value is cut)."),
  message: z.string().describe("What differs, in words: which tree and node, which coefficient and feature, which pipeline step."),
  count: z.number().int().optional().describe("For a model part: how many values in it differ."),
});
export type Difference = z.infer<typeof Difference>;

/** A field of execution/environment.json that differs from this machine's. */
export const EnvironmentChange = z.object({ field: z.string(), stored: z.unknown(), current: z.unknown() });
export type EnvironmentChange = z.infer<typeof EnvironmentChange>;

/** What reproduce_run found: the verdict, the two model.json fingerprints, every metric, and each difference named. */
export const ReproduceOutcome = z.object({
  identical: z.boolean().describe("True when the rebuilt model.json has the same bytes as the stored one and every metric is equal to the last bit."),
  verdict: z.string().describe("The answer in one line: 'Same bytes: …' or what differs first."),
  run_id: z.string(),
  commit: z.string().describe("The commit reproduced: the run ref's newest commit, or the version's registration commit."),
  model_json: z.object({
    stored_sha256: z.string(),
    rebuilt_sha256: z.string(),
    bytes: z.number().int().describe("Size of the stored model.json."),
    rebuilt_bytes: z.number().int(),
  }),
  metrics: z.array(MetricComparison),
  differences: z
    .array(Difference)
    .describe(
      "What differs, and what may explain it, most explanatory first; empty when identical, except an edited parameter that did not change the model. At most one model difference per part of model.json, the first in file order.",
    ),
  data: z.object({
    dataset_id: z.string(),
    sha256: z.string(),
    found_in: z
      .enum(["cache", "source"])
      .describe(
        "cache: the workspace's (or the team's shared) content-addressed copy; source: the recorded file, hashed again and equal (for a run trained inside a database: the table, queried again).",
      ),
    source: z.string(),
  }),
  tolerance: z
    .object({
      relative: z.number().describe("The relative difference accepted in each number (data/in_database.json's tolerance)."),
      within: z.boolean().describe("True when every number of model.json and the metrics is within it and the data's fingerprint is the same."),
      largest_relative: z.number().describe("The largest relative difference found in a number."),
    })
    .optional()
    .describe(
      "For a run trained inside a database, whose SQL is run again: DuckDB's parallel sums may differ in the last digits, so numbers are compared within a tolerance.",
    ),
  environment: z.object({
    recorded: z.boolean().describe("False for a run written before execution/environment.json existed: nothing to compare."),
    same: z.boolean(),
    changes: z.array(EnvironmentChange),
  }),
});
export type ReproduceOutcome = z.infer<typeof ReproduceOutcome>;
