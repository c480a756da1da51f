import type { DomainContext } from "../workspace/DomainContext.js";
import type { Workspace } from "../workspace/Workspace.js";
import { DwError } from "../errors/DwError.js";
import { aliasRef, deploymentRef } from "../registry/refs.js";
import { checkAlias, checkModelName } from "../workspace/refNames.js";
import { lastDeployment, listModels, readAliases, resolveAlias, type UndeploymentRecord } from "../registry/readRegistry.js";
import { commitMessage } from "../workspace/commitMessage.js";
import { documentText } from "../workspace/documentText.js";
import { defaultReviewer } from "../governance/review/recordReview.js";
import { finishInterruptedMove } from "./moveServedAlias.js";

/** An alias taken out of serving: the record written, and the model's aliases still served. */
export interface Undeployment {
  record: UndeploymentRecord;
  /** The undeployment commit on refs/dw/deployments/<name>/<alias>. */
  commit: string;
  ref: string;
  /** The model's other aliases, as they are served now (alias → version). */
  stillServed: Record<string, number>;
}

/**
 * Stops serving an alias, as undeploy_model does: under the workspace lock, an undeployment record
 * (who, when, the version it served) is committed on refs/dw/deployments/<name>/<alias>, then the
 * alias ref is deleted. The record is written first and decides (resolveAlias): a process killed
 * between the two leaves an alias ref that nothing serves, and the next move of that alias, or the
 * next `dw serve` to start, deletes it. A later deploy_model serves the alias again, its record's
 * parent being this one. The version stays registered, and its pinned URL stays served as after
 * any move away: it passed a deploy gate once (src/server/servedModels.ts). NOT_FOUND, naming the
 * aliases that are served, when the alias serves nothing.
 *
 * @example
 * ```ts
 * const u = await undeployAlias(ctx, { model: "temp", alias: "staging" });
 * u.record.undeployed_version; u.stillServed; // { production: 3 }
 * ```
 */
export async function undeployAlias(ctx: DomainContext, args: { model: string; alias: string }): Promise<Undeployment> {
  checkModelName(args.model);
  checkAlias(args.alias);
  const ws = ctx.workspace;
  const by = await defaultReviewer(ws);
  return ws.withLock(async () => {
    // A move or an undeployment killed half-way is finished first, so what follows sees one state.
    await finishInterruptedMove(ws, args.model, args.alias);
    const served = await resolveAlias(ws, args.model, args.alias);
    if (!served) throw await notServed(ws, args.model, args.alias);
    const now = ctx.now();
    const ref = deploymentRef(args.model, args.alias);
    const last = await ws.readRef(ref).catch(() => null);
    const record: UndeploymentRecord = {
      model_name: args.model,
      alias: args.alias,
      version: null,
      undeployed_at: now.toISOString(),
      undeployed_by: by,
      undeployed_version: served.version,
    };
    const message = commitMessage(`dw undeploy ${args.model}@${args.alias} (was v${served.version})`, [`Undeployed by ${by}.`], {
      "Dw-Model": args.model,
      "Dw-Alias": args.alias,
      "Dw-Tool": "undeploy_model",
    });
    const commit = await ws.commit({ ref, message, parents: last ? [last] : [], files: { "deployment.json": documentText(record) }, now });
    // The record is written first: a process killed here leaves an alias ref the record overrules.
    await ws.deleteRef(aliasRef(args.model, args.alias));
    return { record, commit, ref, stillServed: await readAliases(ws, args.model) };
  });
}

/** NOT_FOUND for an alias that serves nothing: what, where (the refs), what is served instead and what to do. */
async function notServed(ws: Workspace, model: string, alias: string): Promise<DwError> {
  const models = await listModels(ws);
  if (!models.has(model)) {
    return new DwError("NOT_FOUND", `No registered model named '${model}', so it has no alias '${alias}' to undeploy.`, {
      hint: models.size ? `Registered models: ${[...models.keys()].sort().join(", ")}.` : "Nothing is registered or deployed in this workspace.",
      details: { field: "model_name" },
    });
  }
  const served = await readAliases(ws, model);
  const list = Object.entries(served).map(([a, v]) => `${a} (v${v})`);
  const last = await lastDeployment(ws, model, alias);
  const why =
    last?.kind === "undeployed"
      ? `it was undeployed at ${last.record.undeployed_at} by ${last.record.undeployed_by} (see git log ${deploymentRef(model, alias)})`
      : `neither ${aliasRef(model, alias)} nor ${deploymentRef(model, alias)} names a version of it`;
  return new DwError("NOT_FOUND", `${model}@${alias} is not served, so there is nothing to undeploy: ${why}.`, {
    hint: list.length
      ? `The aliases of ${model} that are served: ${list.join(", ")}. Undeploy one of those, or serve this one again with: %dw deploy_model --name ${model} --alias ${alias}`
      : `No alias of ${model} is served. Serve one with: %dw deploy_model --name ${model} --alias ${alias}`,
    details: { field: "alias", model_name: model, served_aliases: served },
  });
}
