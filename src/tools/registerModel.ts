import { z } from "zod";
import { defineTool } from "./defineTool.js";
import { checkAlias, checkModelName } from "../workspace/refNames.js";
import { OverrideReason } from "../gates/enforceGates.js";
import type { RegisteredVersion } from "../registry/registerVersion.js";

export const RegisterModelInput = z.strictObject({
  model_id: z.string().min(1).describe("The trained model to register: the run_id that train_model returned."),
  model_name: z.string().min(1).describe("Registered model name, e.g. temp; versions count up per name."),
  description: z.string().optional().describe("What this version is, for people reading the registry."),
  alias: z
    .string()
    .optional()
    .describe(
      "Also point this alias (e.g. staging) at the new version. The server follows aliases, so this runs the same deploy gate as deploy_model; a blocked alias is not moved (the version is still registered).",
    ),
  override_reason: OverrideReason,
});
export type RegisterModelInput = z.infer<typeof RegisterModelInput>;

export const RegisterModelOutput = z.object({
  model_name: z.string(),
  version: z.number().int(),
  model_id: z.string(),
  run_id: z.string(),
  commit: z.string().describe("The registration commit; refs/dw/models/<name>/<version> points at it."),
  ref: z.string(),
  aliases: z.array(z.string()),
  algorithm: z.string(),
  metrics: z.record(z.string(), z.number()),
  registered_at: z.string(),
});
export type RegisterModelOutput = z.infer<typeof RegisterModelOutput>;

/**
 * Registers a trained run's model as the next version of a named model: a commit whose parent is
 * the run commit, under refs/dw/models/<name>/<version>.
 *
 * @example
 * ```ts
 * const v = await dw.registerModel({ model_id: run.run_id, model_name: "temp" });
 * v.version; // 1
 * ```
 */
export const registerModel = defineTool({
  name: "register_model",
  annotations: { effect: "serves" },
  description: "Register a trained model (a run) as the next version of a named model in the workspace's registry.",
  input: RegisterModelInput,
  output: RegisterModelOutput,
  magic: { aliases: { run_id: "model_id", name: "model_name" } },
  async run(input, ctx) {
    checkModelName(input.model_name);
    const alias = input.alias;
    if (alias !== undefined) checkAlias(alias);
    // Moving the alias runs under the registration's lock, so it moves the version just made.
    const moveAlias = async (v: RegisteredVersion, now: Date) => {
      if (alias === undefined) return;
      const { aliasNewVersion } = await import("../deployment/aliasNewVersion.js");
      await aliasNewVersion(ctx, { model: v.registration.model_name, version: v.registration.version, alias, overrideReason: input.override_reason, now });
    };
    const { registerVersion } = await import("../registry/registerVersion.js");
    const { registration: reg, ...v } = await registerVersion(ctx, {
      runId: input.model_id,
      modelName: input.model_name,
      description: input.description,
      notebook: ctx.origin?.notebook?.content,
      underLock: moveAlias,
    });
    return {
      model_name: reg.model_name,
      version: reg.version,
      model_id: v.run.run_id,
      run_id: v.run.run_id,
      commit: v.commit,
      ref: v.ref,
      aliases: alias !== undefined ? [alias] : [],
      algorithm: v.run.algorithm,
      metrics: v.run.metrics,
      registered_at: reg.registered_at,
    };
  },
});
