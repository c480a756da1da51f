import { z } from "zod";
import { defineTool } from "./defineTool.js";
import { ReproduceOutcome } from "../reproduce/ReproduceOutcome.js";
import { environmentRecord } from "../execution/environmentRecord.js";

export const ReproduceRunInput = z.strictObject({
  model_id: z
    .string()
    .trim()
    .min(1)
    .describe("What to rebuild: a run id (its run ref's newest commit), name@alias, name/version, or a model name (its production alias)."),
});
export type ReproduceRunInput = z.infer<typeof ReproduceRunInput>;

export const ReproduceRunOutput = ReproduceOutcome;
export type ReproduceRunOutput = ReproduceOutcome;

/**
 * Rebuilds a model from its run commit alone — params.json, the data by its content hash (the
 * cache, else the recorded file hashed again), the feature pipeline and the seed — trained exactly
 * as train_model trained it, and compares the rebuilt model.json byte for byte and the metrics to
 * the last bit. When they differ it says what: an edited parameter, which tree and node or which
 * coefficient differs first, the data, and what changed in the environment since. Writes nothing.
 *
 * @example
 * ```ts
 * const r = await dw.reproduceRun({ model_id: "temp@production" });
 * r.identical; // true
 * r.model_json.stored_sha256 === r.model_json.rebuilt_sha256; // true
 * ```
 */
export const reproduceRun = defineTool({
  name: "reproduce_run",
  annotations: { effect: "reads", long: true },
  description:
    "Rebuild a run's model from its commit alone (parameters, data by content hash, pipeline, seed) and compare it with the stored model.json byte for byte and the metrics to the last digit; when they differ, say which parameter, tree, coefficient, data or environment change. model_id: a run id, name@alias or name/version.",
  input: ReproduceRunInput,
  output: ReproduceRunOutput,
  magic: { positional: "model_id", aliases: { run_id: "model_id", model: "model_id", name: "model_id" } },
  async run(input, ctx) {
    const { reproduceRun: reproduce } = await import("../reproduce/reproduceRun.js");
    return reproduce(ctx, input.model_id, environmentRecord);
  },
});
