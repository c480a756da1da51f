/**
 * The messages on the Jupyter comm with target "dw", between the JupyterLab extension and the
 * kernel. Both ends validate with these schemas. This file imports nothing but zod so that the
 * labextension can compile it too.
 */
import { z } from "zod";

export const COMM_TARGET = "dw";

export const ModelVersionState = z.object({
  version: z.number().int(),
  run_id: z.string(),
  created_at: z.string(),
  algorithm: z.string().optional(),
  metrics: z.record(z.string(), z.number()).optional(),
  aliases: z.array(z.string()),
  /** Set when this version's records cannot be read (a damaged ref, run.json or registration.json): what is wrong, in a sentence. */
  error: z.string().optional(),
});
export type ModelVersionState = z.infer<typeof ModelVersionState>;

export const ModelState = z.object({
  name: z.string(),
  versions: z.array(ModelVersionState),
  aliases: z.record(z.string(), z.number().int()),
  /** Set when the model's aliases cannot be read: what is wrong, in a sentence. */
  error: z.string().optional(),
});
export type ModelState = z.infer<typeof ModelState>;

export const EndpointState = z.object({
  model: z.string(),
  alias: z.string(),
  version: z.number().int(),
  /** MLflow scoring URL for this alias, e.g. http://127.0.0.1:PORT/models/temp@production/invocations */
  invocations_url: z.string(),
  live: z.boolean(),
  /** A ready-to-paste request with one example row of the model's inputs (empty when no server runs). */
  curl: z.string().optional(),
  /** Set when the deployed version cannot be described (a damaged model.json): what is wrong, in a sentence. */
  error: z.string().optional(),
});
export type EndpointState = z.infer<typeof EndpointState>;

export const RegistryState = z.object({
  workspace: z.string(),
  server: z.object({ url: z.string(), live: z.boolean() }).nullable(),
  models: z.array(ModelState),
  endpoints: z.array(EndpointState),
});
export type RegistryState = z.infer<typeof RegistryState>;

export const ErrorPayload = z.object({
  code: z.string(),
  message: z.string(),
  hint: z.string().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type ErrorPayload = z.infer<typeof ErrorPayload>;

export const ProductionizeResult = z.object({
  run_id: z.string(),
  model_name: z.string(),
  version: z.number().int(),
  alias: z.string(),
  endpoint_url: z.string(),
  curl: z.string(),
});
export type ProductionizeResult = z.infer<typeof ProductionizeResult>;

/** Frontend → kernel. */
export const ClientMessage = z.discriminatedUnion("type", [
  z.object({ type: z.literal("get_state") }),
  z.object({
    type: z.literal("productionize"),
    request_id: z.string(),
    run_id: z.string(),
    model_name: z.string().optional(),
    alias: z.string().optional(),
    /** The notebook as the frontend has it, recorded with the registration. */
    notebook: z.object({ path: z.string(), content: z.string() }).optional(),
  }),
]);
export type ClientMessage = z.infer<typeof ClientMessage>;

/** Kernel → frontend. `state` is also pushed, unasked, after any tool call that changes the registry. */
export const KernelMessage = z.union([
  z.object({ type: z.literal("state"), state: RegistryState }),
  z.object({ type: z.literal("productionize_result"), request_id: z.string(), ok: z.literal(true), result: ProductionizeResult }),
  z.object({ type: z.literal("productionize_result"), request_id: z.string(), ok: z.literal(false), error: ErrorPayload }),
  z.object({ type: z.literal("error"), error: ErrorPayload }),
]);
export type KernelMessage = z.infer<typeof KernelMessage>;

/** MIME type of a tool result in a cell's outputs; the Productionize button looks for `run_id` in it. */
export const DW_RESULT_MIME = "application/vnd.dw.result+json";
export const DwResultBundle = z.object({ tool: z.string(), output: z.record(z.string(), z.unknown()) });
export type DwResultBundle = z.infer<typeof DwResultBundle>;
