import { MODEL_JSON_LIMITS } from "../models/modelJsonLimits.js";
import type { DomainContext } from "../workspace/DomainContext.js";
import { DwError, isDwError } from "../errors/DwError.js";
import { aliasRef, deploymentRef } from "../registry/refs.js";
import { checkAlias, isAlias, isModelName } from "../workspace/refNames.js";
import { lastDeployment, readRegistration, type DeploymentRecord, type VersionInfo } from "../registry/readRegistry.js";
import type { Workspace } from "../workspace/Workspace.js";
import { commitMessage } from "../workspace/commitMessage.js";
import { documentText } from "../workspace/documentText.js";
import { findModelVersion } from "../governance/review/findModelVersion.js";
import { governanceGateForDeploy } from "../governance/policy/governanceGateForDeploy.js";
import type { GovernanceReport } from "../governance/policy/GovernanceReport.js";
import { enforceGates } from "../gates/enforceGates.js";
import type { GateOverrideRecord } from "../policy/GateOverrideRecord.js";
import { defaultReviewer } from "../governance/review/recordReview.js";
import { loadModel, scoreModel, type LoadedModel } from "../models/scoreModel.js";
import { exampleRow } from "../models/exampleRow.js";

export interface AliasMove {
  info: VersionInfo;
  previous: number | null;
  report: GovernanceReport;
  override?: GateOverrideRecord;
  /** The version's model, loaded and scored once on an example row before the alias moved. */
  model: LoadedModel;
  /** The deployment commit, when the move was recorded as a deployment. */
  deployment?: string;
}

/**
 * The one way an alias that the server follows is moved: deployVersion (deploy_model, productionize)
 * and aliasNewVersion (register_model with an alias) both come here. It runs the deploy gate
 * (governance and policy) on that version for that alias, then loads the version's model and
 * scores it on an example row, and only then, for a deployment (or an alias that already is one),
 * records the deployment commit and moves the alias. A gate that blocks or a model that does not
 * load changes nothing. Call it under `ws.withLock`, so the version it resolves (the newest,
 * without `version`) is the one it moves the alias to.
 *
 * @example
 * ```ts
 * const move = await ws.withLock(() => moveServedAlias(ctx, { model: "temp", alias: "production", step: "deploy_model", record: "always", now: new Date() }));
 * move.info.version;
 * ```
 */
export async function moveServedAlias(
  ctx: DomainContext,
  args: {
    model: string;
    version?: number;
    alias: string;
    overrideReason?: string;
    step: "deploy_model" | "register_model";
    record: "always" | "if-deployed";
    now: Date;
  },
): Promise<AliasMove> {
  checkAlias(args.alias);
  const ws = ctx.workspace;
  const info = await findModelVersion(ws, args.model, args.version);
  const report = await governanceGateForDeploy(ctx, { model: args.model, version: info.version, alias: args.alias });
  const gated = enforceGates(args.step, [report], { reason: args.overrideReason, by: await defaultReviewer(ws), at: args.now });
  const model = await loadAndWarm(ws, info);

  const lastRecord = await ws.readRef(deploymentRef(args.model, args.alias)).catch(() => null);
  const previous = await finishInterruptedMove(ws, args.model, args.alias);
  // An override is always recorded as a deployment: it carries the reason, who and the reports. An
  // alias with any record, an undeployment included, is recorded too: its last record decides
  // what is served, so moving the ref alone would not serve it again.
  if (args.record === "if-deployed" && !lastRecord && !gated.override) {
    await ws.writeRef(aliasRef(args.model, args.alias), info.commit);
    return { info, previous, report, override: gated.override, model };
  }

  const rec: DeploymentRecord = { model_name: args.model, alias: args.alias, version: info.version, deployed_at: args.now.toISOString() };
  const message = commitMessage(
    `dw deploy ${args.model}@${args.alias} -> v${info.version}${previous !== null && previous !== info.version ? ` (was v${previous})` : ""}`,
    [],
    {
      "Dw-Model": args.model,
      "Dw-Version": info.version,
      "Dw-Alias": args.alias,
      "Dw-Governance": report.decision,
      "Dw-Override": gated.override ? `${gated.override.by}: ${gated.override.reason}` : undefined,
      "Dw-Via": args.step !== "deploy_model" ? args.step : undefined,
    },
  );
  const deployment = await ws.commit({
    ref: deploymentRef(args.model, args.alias),
    message,
    parents: lastRecord ? [lastRecord] : [],
    files: { "deployment.json": documentText(rec), ...gated.files },
    now: args.now,
  });
  // The deployment commit is written first and is the record of intent: a process killed between
  // the two writes leaves the alias one move behind its record, and the next move finishes it.
  await ws.writeRef(aliasRef(args.model, args.alias), info.commit);
  return { info, previous, report, override: gated.override, model, deployment };
}

/** The version's model.json parsed, its estimator rebuilt and one example row scored: what the server will do. */
async function loadAndWarm(ws: Workspace, info: VersionInfo): Promise<LoadedModel> {
  const label = `${info.name} v${info.version}`;
  try {
    const text = await ws.readText(info.commit, "model.json", { maxBytes: MODEL_JSON_LIMITS.maxChars });
    if (text === null) throw new DwError("DATA_ERROR", `${label} has no model.json.`);
    const model = loadModel(text, `${label} model.json`);
    scoreModel(model, { columns: model.json.signature.inputs.map((f) => f.name), rows: [exampleRow(model.json)] });
    return model;
  } catch (e) {
    const why = isDwError(e) ? e.message : e instanceof Error ? e.message : String(e);
    throw new DwError("DATA_ERROR", `${label} cannot be served, so no alias was moved: ${why}`, {
      hint: `Train and register a new version; inspect this one with: git show refs/dw/models/${info.name}/${info.version}:model.json`,
      details: { model_name: info.name, version: info.version },
    });
  }
}

/**
 * A move whose process died after recording it and before writing the alias ref: a deployment
 * moves the alias to the version its record names (it passed the gate and loaded when it was
 * recorded; the server already serves it, see resolveAlias), an undeployment deletes the alias
 * ref (the server already serves nothing there). Returns the version the alias names afterwards,
 * or null. Call under `ws.withLock`.
 */
export async function finishInterruptedMove(ws: Workspace, model: string, alias: string): Promise<number | null> {
  const recorded = await lastDeployment(ws, model, alias);
  const current = await ws.readRef(aliasRef(model, alias)).catch(() => null);
  if (recorded?.kind === "undeployed") {
    if (current !== null) await ws.deleteRef(aliasRef(model, alias));
    return null;
  }
  if (recorded && recorded.commit !== current) {
    await ws.writeRef(aliasRef(model, alias), recorded.commit);
    return recorded.version;
  }
  const reg = current ? await readRegistration(ws, current) : null;
  return reg && reg.model_name === model ? reg.version : null;
}

/** finishInterruptedMove for every deployment of the workspace; `dw serve` runs it as it starts. */
export async function finishInterruptedMoves(ws: Workspace): Promise<void> {
  for (const name of await ws.listRefs("refs/dw/deployments")) {
    const [model, alias, more] = name.split("/");
    if (model && alias && more === undefined && isModelName(model) && isAlias(alias)) await finishInterruptedMove(ws, model, alias);
  }
}
