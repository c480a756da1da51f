import { z } from "zod";
import { defineTool } from "./defineTool.js";
import { readRun } from "../runs/readRun.js";
import { checkAlias, checkModelName, modelVersionRef } from "../registry/refs.js";
import { DwError, isDwError } from "../errors/DwError.js";
import { OverrideReason } from "../gates/enforceGates.js";
import { moveServedAlias } from "../deployment/moveServedAlias.js";
import { listModels, type Registration } from "../registry/readRegistry.js";

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
    if (input.alias !== undefined) checkAlias(input.alias);
    const ws = ctx.workspace;
    const { oid: runCommit, run } = await readRun(ws, input.model_id);
    const now = ctx.now();
    return ws.withLock(async () => {
      const versions = (await listModels(ws)).get(input.model_name) ?? [];
      const version = (versions[versions.length - 1] ?? 0) + 1;
      const reg: Registration = {
        model_name: input.model_name,
        version,
        run_id: run.run_id,
        run_commit: runCommit,
        registered_at: now.toISOString(),
        ...(input.description !== undefined ? { description: input.description } : {}),
      };
      const ref = modelVersionRef(input.model_name, version);
      const message = [
        `dw model ${input.model_name} v${version}: register run ${run.run_id}`,
        "",
        `${run.algorithm} ${run.target} ~ ${run.features.join(" + ")}`,
        `metrics: ${Object.entries(run.metrics)
          .map(([k, v]) => `${k}=${v.toFixed(4)}`)
          .join(" ")}`,
        input.description ? `\n${input.description}` : undefined,
        "",
        `Dw-Model: ${input.model_name}`,
        `Dw-Version: ${version}`,
        `Dw-Run: ${run.run_id}`,
      ]
        .filter((l) => l !== undefined)
        .join("\n");
      const files: Record<string, string> = { "registration.json": JSON.stringify(reg, null, 2) + "\n" };
      // A run made where the kernel could not see its notebook gets the one the frontend sent now.
      if (ctx.origin?.notebook && (await ws.readText(runCommit, "notebook.ipynb")) === null) files["notebook.ipynb"] = ctx.origin.notebook.content;
      const commit = await ws.commit({ ref, message, base: runCommit, parents: [runCommit], files, now });
      if (input.alias !== undefined) {
        try {
          await moveServedAlias(ctx, {
            model: input.model_name,
            version,
            alias: input.alias,
            overrideReason: input.override_reason,
            step: "register_model",
            record: "if-deployed",
            now,
          });
        } catch (e) {
          if (!isDwError(e)) throw e;
          throw new DwError(e.code, `${input.model_name} v${version} was registered, but the alias '${input.alias}' was not moved: ${e.message}`, {
            // Registering again would make another version of the same run: move the alias of this one.
            hint: `Do not register the run again. Once the gate passes (or with --override_reason "<why>"), move the alias to this version: %dw deploy_model --name ${input.model_name} --version ${version} --alias ${input.alias}`,
            details: { ...e.details, model_name: input.model_name, version, registered: true },
          });
        }
      }
      return {
        model_name: input.model_name,
        version,
        model_id: run.run_id,
        run_id: run.run_id,
        commit,
        ref,
        aliases: input.alias !== undefined ? [input.alias] : [],
        algorithm: run.algorithm,
        metrics: run.metrics,
        registered_at: reg.registered_at,
      };
    });
  },
});
