/**
 * A registered model as the sidebar lists it: its versions with their runs and metrics, and its
 * aliases. This file imports nothing but zod, so that the labextension can compile it too (through
 * src/comm/protocol.ts).
 */
import { z } from "zod";

export const ModelVersionState = z.object({
  version: z.number().int(),
  run_id: z.string(),
  created_at: z.string(),
  algorithm: z.string().optional(),
  metrics: z.record(z.string(), z.number()).optional(),
  aliases: z.array(z.string()),
  error: z.string().optional().describe("Set when this version's records cannot be read (a damaged ref, run.json or registration.json): what is wrong."),
});
export type ModelVersionState = z.infer<typeof ModelVersionState>;

export const ModelState = z.object({
  name: z.string(),
  versions: z.array(ModelVersionState).describe("Newest first."),
  aliases: z.record(z.string(), z.number().int()).describe("alias → version."),
  error: z.string().optional().describe("Set when the model's aliases cannot be read: what is wrong."),
});
export type ModelState = z.infer<typeof ModelState>;
