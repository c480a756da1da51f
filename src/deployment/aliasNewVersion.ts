import type { DomainContext } from "../workspace/DomainContext.js";
import { DwError, isDwError } from "../errors/DwError.js";
import { moveServedAlias, type AliasMove } from "./moveServedAlias.js";

/**
 * Points an alias at a version just registered, as register_model --alias does: the same gate and
 * load check as a deployment (the server follows aliases), recorded as a deployment when the alias
 * already is one or the gate was overridden. When the alias cannot move, the error says the version
 * was registered and how to move the alias to it later, rather than registering the run again.
 * Call under `ws.withLock`, the same lock the version was registered under.
 *
 * @example
 * ```ts
 * await registerVersion(ctx, { runId, modelName: "temp", underLock: (v, now) => aliasNewVersion(ctx, { model: "temp", version: v.registration.version, alias: "staging", now }) });
 * ```
 */
export async function aliasNewVersion(
  ctx: DomainContext,
  args: { model: string; version: number; alias: string; overrideReason?: string; now: Date },
): Promise<AliasMove> {
  try {
    return await moveServedAlias(ctx, { ...args, step: "register_model", record: "if-deployed" });
  } catch (e) {
    if (!isDwError(e)) throw e;
    throw new DwError(e.code, `${args.model} v${args.version} was registered, but the alias '${args.alias}' was not moved: ${e.message}`, {
      // Registering again would make another version of the same run: move the alias of this one.
      hint: `Do not register the run again. Once the gate passes (or with --override_reason "<why>"), move the alias to this version: %dw deploy_model --name ${args.model} --version ${args.version} --alias ${args.alias}`,
      details: { ...e.details, model_name: args.model, version: args.version, registered: true },
    });
  }
}
