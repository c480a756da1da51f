import { z } from "zod";
import { defineTool } from "./defineTool.js";
import { readDeploymentStatus } from "../deployment/readDeploymentStatus.js";
import { resolveStatusScope } from "../deployment/resolveStatusScope.js";
import { readTrainings } from "../runs/readTrainings.js";
import { findServer } from "../server/ensureServer.js";
import type { EndpointTraffic } from "../server/ServingStatus.js";
import { aliasTraffic, probeEndpoint, readServingStatus } from "../server/readServingStatus.js";
import { MlStatus, type DeploymentStatus } from "./MlStatus.js";

export const GetMlStatusInput = z.strictObject({
  model_id: z
    .string()
    .trim()
    .min(1)
    .optional()
    .describe(
      "What to report on: name@alias (one deployment), name/version, a run id, or a model name (all its deployments). Omitted: every deployment and every training.",
    ),
});
export type GetMlStatusInput = z.infer<typeof GetMlStatusInput>;

export const GetMlStatusOutput = MlStatus.extend({
  text: z.string().describe("The same status as plain text, one line per deployment and training."),
});
export type GetMlStatusOutput = z.infer<typeof GetMlStatusOutput>;

/**
 * Where the workspace's models stand: each deployment with its version, since when, the gates it
 * passed (and any override, with who and why), whether dw serve answers for it, its requests,
 * errors and p50/p99 from the running server's `/status`, and its drift monitoring; plus the
 * trainings running in any process on this workspace, with their stage and progress, and those
 * that failed or were killed. Starts nothing and changes nothing.
 *
 * @example
 * ```ts
 * const status = await dw.getMlStatus({ model_id: "temp@production" });
 * status.deployments[0].traffic[0]?.p99_ms;
 * ```
 */
export const getMlStatus = defineTool({
  name: "get_ml_status",
  annotations: { effect: "reads" },
  description:
    "Training or deployment status, stage, progress, errors: each deployment with its version, since when, the gates it passed, requests, errors and p50/p99 from dw serve, and monitoring; plus trainings still running. model_id: name@alias, name/version, a run id or a model name; omitted, everything.",
  input: GetMlStatusInput,
  output: GetMlStatusOutput,
  magic: { positional: "model_id", aliases: { run_id: "model_id", name: "model_id" } },
  async run(input, ctx) {
    const ws = ctx.workspace;
    const scope = await resolveStatusScope(ws, input.model_id);
    const server = await findServer(ws);
    const reading = await readServingStatus(server);
    const deployments: DeploymentStatus[] = [];
    for (const { model, alias } of scope.deployments) {
      const record = await readDeploymentStatus(ws, model, alias);
      // Undeployed since the scope was read: nothing serves it now.
      if (!record) continue;
      const probe = server ? await probeEndpoint(server, model, alias) : null;
      const note = probe && !probe.answers ? probe.note : probe && probe.version !== record.version ? `dw serve answers with v${probe.version}` : undefined;
      deployments.push({
        ...record,
        answers: probe ? probe.answers : null,
        ...(note ? { answers_note: note } : {}),
        traffic: reading.kind === "measured" ? aliasTraffic(reading.status, model, alias) : [],
      });
    }
    const owned = (e: EndpointTraffic) => deployments.some((d) => d.model === e.model_name && d.alias === e.alias);
    const status = {
      workspace: ws.root,
      scope: scope.label,
      server: {
        url: server?.url ?? null,
        started_at: reading.kind === "measured" ? reading.status.started_at : (server?.started_at ?? null),
        traffic: reading.kind,
        ...(reading.kind !== "measured" ? { note: reading.note } : {}),
      },
      deployments,
      other_traffic: scope.everything && reading.kind === "measured" ? reading.status.endpoints.filter((e) => !owned(e)) : [],
      trainings: scope.everything ? await readTrainings(ws, ctx.now()) : [],
      notes: scope.notes,
    };
    const { mlStatusText } = await import("./render/getMlStatus.js");
    return { ...status, text: mlStatusText(status) };
  },
});
