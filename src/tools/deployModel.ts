import { z } from "zod";
import { defineTool } from "./defineTool.js";
import { DwError } from "../errors/DwError.js";
import { aliasRef, checkAlias, checkModelName, deploymentRef } from "../registry/refs.js";
import { listModels, readVersion, type DeploymentRecord } from "../registry/readRegistry.js";
import { curlExample, endpointUrls } from "../server/endpointUrls.js";
import type { ModelJson } from "../models/ModelJson.js";
import { exampleRow } from "../models/exampleRow.js";
import { governanceGateForDeploy } from "../governance/policy/governanceGateForDeploy.js";
import { OverrideReason, enforceGates } from "../gates/enforceGates.js";
import { defaultReviewer } from "../governance/review/recordReview.js";
import { GateStatus } from "../gates/GateReport.js";

export const DeployModelInput = z.strictObject({
  model_name: z.string().min(1).describe("Registered model to deploy."),
  version: z.number().int().min(1).optional().describe("Version to deploy; defaults to the newest."),
  alias: z.string().default("production").describe("Alias the endpoint serves, e.g. production or staging; it is moved to the version."),
  override_reason: OverrideReason,
});
export type DeployModelInput = z.infer<typeof DeployModelInput>;

export const DeployModelOutput = z.object({
  model_name: z.string(),
  version: z.number().int(),
  alias: z.string(),
  previous_version: z.number().int().nullable().describe("The version the alias pointed at before, if any."),
  endpoint_url: z.string().describe("MLflow scoring URL for the alias: POST JSON here."),
  version_url: z.string().describe("MLflow scoring URL pinned to this version."),
  server_url: z.string(),
  curl: z.string().describe("A ready-to-paste request with one example row."),
  deployed_at: z.string(),
  governance: z
    .object({ status: GateStatus, decision: z.enum(["allow", "deny", "review"]), summary: z.string() })
    .describe("The governance and policy gate run before deploying; its full report is gates/governance.json in the deployment commit."),
  override: z.object({ reason: z.string(), by: z.string() }).optional().describe("Set when a failed governance gate was overridden with override_reason."),
});
export type DeployModelOutput = z.infer<typeof DeployModelOutput>;

/**
 * Deploys a registered model version behind the workspace's `dw serve`: moves the alias to the
 * version, records the deployment under refs/dw/deployments/<name>/<alias>, starts the server
 * if none runs, and checks the endpoint answers with that version before returning.
 *
 * @example
 * ```ts
 * const d = await dw.deployModel({ model_name: "temp", alias: "production" });
 * d.endpoint_url; // http://127.0.0.1:PORT/models/temp@production/invocations
 * ```
 */
export const deployModel = defineTool({
  name: "deploy_model",
  description: "Deploy a registered model version to an HTTP endpoint (MLflow scoring protocol) under an alias such as production.",
  input: DeployModelInput,
  output: DeployModelOutput,
  magic: { aliases: { name: "model_name" } },
  async run(input, ctx) {
    checkModelName(input.model_name);
    checkAlias(input.alias);
    const ws = ctx.workspace;
    const now = ctx.now();
    // Governance and policy first, on the version that would be deployed; a block changes nothing.
    const newest = (await listModels(ws)).get(input.model_name);
    const target = input.version ?? newest?.[newest.length - 1];
    const report = target !== undefined && newest?.includes(target) ? await governanceGateForDeploy(ctx, { model: input.model_name, version: target, alias: input.alias }) : undefined;
    const gated = report ? enforceGates("deploy_model", [report], { reason: input.override_reason, by: await defaultReviewer(ctx.workspace), at: now }) : { files: {} };
    const { version, previous, info, model } = await ws.withLock(async () => {
      const versions = (await listModels(ws)).get(input.model_name);
      if (!versions) {
        throw new DwError("NOT_FOUND", `No registered model named '${input.model_name}'.`, {
          hint: "Register a run first: %dw register_model --run_id run.run_id --name " + input.model_name,
          details: { field: "model_name" },
        });
      }
      const version = target ?? input.version ?? versions[versions.length - 1];
      const info = await readVersion(ws, input.model_name, version);
      if (!info) {
        throw new DwError("NOT_FOUND", `Model '${input.model_name}' has no version ${version}.`, {
          hint: `Its versions: ${versions.join(", ")}.`,
          details: { field: "version" },
        });
      }
      const prevOid = await ws.readRef(aliasRef(input.model_name, input.alias));
      const previous = prevOid ? ((await ws.readJson<{ version: number }>(prevOid, "registration.json"))?.version ?? null) : null;
      await ws.writeRef(aliasRef(input.model_name, input.alias), info.commit);
      const rec: DeploymentRecord = { model_name: input.model_name, alias: input.alias, version, deployed_at: now.toISOString() };
      const lastDeployment = await ws.readRef(deploymentRef(input.model_name, input.alias));
      await ws.commit({
        ref: deploymentRef(input.model_name, input.alias),
        message: `dw deploy ${input.model_name}@${input.alias} -> v${version}${previous !== null && previous !== version ? ` (was v${previous})` : ""}\n\nDw-Model: ${input.model_name}\nDw-Version: ${version}\nDw-Alias: ${input.alias}${report ? `\nDw-Governance: ${report.decision}` : ""}${gated.override ? `\nDw-Override: ${gated.override.by}: ${gated.override.reason}` : ""}`,
        parents: lastDeployment ? [lastDeployment] : [],
        files: { "deployment.json": JSON.stringify(rec, null, 2) + "\n", ...gated.files },
        now,
      });
      const model = await ws.readJson<ModelJson>(info.commit, "model.json");
      return { version, previous, info, model };
    });
    const server = await ctx.ensureServer();
    const urls = endpointUrls(server.url, input.model_name, input.alias, version);
    // The endpoint must serve the version just deployed before we say it is live.
    const res = await fetch(urls.metadata).catch((e: Error) => {
      throw new DwError("SERVER_ERROR", `The dw server at ${server.url} did not answer: ${e.message}.`, { hint: "See .dw/server.log in the workspace." });
    });
    const meta = (await res.json().catch(() => null)) as { version?: number } | null;
    if (!res.ok || meta?.version !== version) {
      throw new DwError("SERVER_ERROR", `The endpoint ${urls.invocations} is not serving v${version} (status ${res.status}).`, { hint: "See .dw/server.log in the workspace." });
    }
    return {
      model_name: input.model_name,
      version,
      alias: input.alias,
      previous_version: previous,
      endpoint_url: urls.invocations,
      version_url: urls.versionInvocations,
      server_url: server.url,
      curl: model ? curlExample(urls.invocations, model.signature.inputs.map((f) => f.name), exampleRow(model)) : curlExample(urls.invocations, info.run.features),
      deployed_at: now.toISOString(),
      governance: { status: report!.status, decision: report!.decision, summary: report!.summary },
      ...(gated.override ? { override: { reason: gated.override.reason, by: gated.override.by } } : {}),
    };
  },
});
