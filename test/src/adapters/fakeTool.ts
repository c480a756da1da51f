import { z } from "zod";
import type { ToolDef } from "../../../src/index.js";

/** A tool with one field of each kind the flag syntax coerces, for tests that must not depend on the real tools. */
export const fakeTrain: ToolDef = {
  name: "fake_train",
  camelName: "fakeTrain",
  description: "A stand-in for train_model.",
  annotations: { effect: "writes" },
  input: z.strictObject({
    dataset_id: z.string().min(1).describe("The dataset."),
    target: z.string(),
    features: z.array(z.string()).optional(),
    weights: z.array(z.number()).optional(),
    algorithm: z.enum(["linear_regression", "ridge"]).default("linear_regression"),
    hyperparameters: z.record(z.string(), z.unknown()).default({}),
    test_size: z.number().default(0.2),
    seed: z.number().int().default(42),
    overwrite: z.boolean().default(false),
    path: z.string().optional(),
  }),
  output: z.object({}),
  magic: { positional: "dataset_id", aliases: { data: "dataset_id" } },
  run: async () => ({}),
};
