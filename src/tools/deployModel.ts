import { z } from "zod";
import { defineTool } from "./defineTool.js";
import { DwError } from "../errors/DwError.js";
import { checkAlias, checkModelName } from "../registry/refs.js";
import { curlExample, endpointUrls } from "../server/endpointUrls.js";
import { exampleRow } from "../models/exampleRow.js";
import { OverrideReason } from "../gates/enforceGates.js";
import { moveServedAlias } from "../deployment/moveServedAlias.js";
import { GateStatus } from "../policy/GateReport.js";

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
  superseded_by: z
    .number()
    .int()
    .optional()
    .describe(
      "Set when another deployment moved the alias on to this version before this call returned: this version was deployed, and the alias now serves that one.",
    ),
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
  annotations: { effect: "serves", long: true },
  description: "Deploy a registered model version to an HTTP endpoint (MLflow scoring protocol) under an alias such as production.",
  input: DeployModelInput,
  output: DeployModelOutput,
  magic: { aliases: { name: "model_name" } },
  async run(input, ctx) {
    checkModelName(input.model_name);
    checkAlias(input.alias);
    const ws = ctx.workspace;
    const now = ctx.now();
    // Gate, load and move under one lock: the version resolved is the one deployed, and a
    // version that is blocked or does not load changes nothing.
    const move = await ws.withLock(() =>
      moveServedAlias(ctx, {
        model: input.model_name,
        version: input.version,
        alias: input.alias,
        overrideReason: input.override_reason,
        step: "deploy_model",
        record: "always",
        now,
      }),
    );
    const { version } = move.info;
    const model = move.model.json;
    const server = await ctx.ensureServer();
    const urls = endpointUrls(server.url, input.model_name, input.alias, version);
    // The server must serve the version just deployed before we say it is live. The pinned URL
    // answers for it even when a concurrent deploy has moved the alias on since.
    const meta = await fetchVersion(urls.versionMetadata, server.url);
    if (meta.status !== 200 || meta.version !== version) {
      throw new DwError("SERVER_ERROR", `The dw server at ${server.url} is not serving ${input.model_name} v${version} (status ${meta.status}).`, {
        hint: "See .dw/server.log in the workspace.",
      });
    }
    const aliasNow = await fetchVersion(urls.metadata, server.url);
    const supersededBy = aliasNow.status === 200 && aliasNow.version !== version ? aliasNow.version : undefined;
    return {
      model_name: input.model_name,
      version,
      alias: input.alias,
      previous_version: move.previous,
      endpoint_url: urls.invocations,
      version_url: urls.versionInvocations,
      server_url: server.url,
      curl: curlExample(
        urls.invocations,
        model.signature.inputs.map((f) => f.name),
        exampleRow(model),
      ),
      deployed_at: now.toISOString(),
      governance: { status: move.report.status, decision: move.report.decision, summary: move.report.summary },
      ...(move.override ? { override: { reason: move.override.reason, by: move.override.by } } : {}),
      ...(supersededBy !== undefined ? { superseded_by: supersededBy } : {}),
    };
  },
});

/** The version a metadata URL answers with, and its status (0 when the server did not answer). */
async function fetchVersion(url: string, serverUrl: string): Promise<{ status: number; version?: number }> {
  const res = await fetch(url).catch((e: Error) => {
    throw new DwError("SERVER_ERROR", `The dw server at ${serverUrl} did not answer: ${e.message}.`, { hint: "See .dw/server.log in the workspace." });
  });
  const meta = (await res.json().catch(() => null)) as { version?: unknown } | null;
  return { status: res.status, version: typeof meta?.version === "number" ? meta.version : undefined };
}
