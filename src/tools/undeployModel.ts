import { z } from "zod";
import { defineTool } from "./defineTool.js";
import { findServer } from "../server/ensureServer.js";
import { endpointUrls } from "../server/endpointUrls.js";
import { authHeadersFor } from "../server/token.js";
import { DwError } from "../errors/DwError.js";

export const UndeployModelInput = z.strictObject({
  model_name: z.string().min(1).describe("Registered model whose alias stops being served."),
  alias: z.string().default("production").describe("Alias to stop serving, e.g. production or staging; its endpoint then answers 404."),
});
export type UndeployModelInput = z.infer<typeof UndeployModelInput>;

export const UndeployModelOutput = z.object({
  model_name: z.string(),
  alias: z.string(),
  version: z.number().int().describe("The version the alias served until now; it stays registered."),
  undeployed_at: z.string(),
  undeployed_by: z.string().describe("Who undeployed it: DW_USER, else git's user.name <user.email>, else the OS user."),
  commit: z.string().describe("The undeployment commit; its parent is the alias's last deployment."),
  ref: z.string(),
  still_served: z.record(z.string(), z.number().int()).describe("The model's other aliases that are served (alias → version)."),
  server_url: z
    .string()
    .nullable()
    .describe("The workspace's running dw serve, seen answering 404 for the alias; null when none runs (one started later serves what the registry says)."),
  version_url: z
    .string()
    .optional()
    .describe("The scoring URL pinned to the version, which still answers: a version that passed a deploy gate stays served pinned, as after any move away."),
});
export type UndeployModelOutput = z.infer<typeof UndeployModelOutput>;

/** How long the server may take to see the alias ref go before undeploy_model calls it a failure. */
const STOP_WAIT_MS = 3_000;

/**
 * Stops serving a model's alias: records the undeployment (who, when, the version it served) as a
 * commit on refs/dw/deployments/<name>/<alias>, deletes the alias ref, and, when the workspace's
 * `dw serve` runs, checks that the alias answers 404. deploy_model serves it again.
 *
 * @example
 * ```ts
 * const u = await dw.undeployModel({ model_name: "temp", alias: "staging" });
 * u.version; u.still_served; // { production: 3 }
 * ```
 */
export const undeployModel = defineTool({
  name: "undeploy_model",
  annotations: { effect: "serves" },
  description: "Stop serving a deployed model's alias (the endpoint answers 404); the undeployment is recorded as a commit, and deploy_model serves it again.",
  input: UndeployModelInput,
  output: UndeployModelOutput,
  magic: { aliases: { name: "model_name" } },
  async run(input, ctx) {
    const { undeployAlias } = await import("../deployment/undeployAlias.js");
    const u = await undeployAlias(ctx, { model: input.model_name, alias: input.alias });
    const server = await findServer(ctx.workspace);
    const urls = server ? endpointUrls(server.url, input.model_name, input.alias, u.record.undeployed_version) : null;
    if (server && urls) await confirmStopped(server.url, urls.metadata, await authHeadersFor(server), `${input.model_name}@${input.alias}`);
    return {
      model_name: input.model_name,
      alias: input.alias,
      version: u.record.undeployed_version,
      undeployed_at: u.record.undeployed_at,
      undeployed_by: u.record.undeployed_by,
      commit: u.commit,
      ref: u.ref,
      still_served: u.stillServed,
      server_url: server?.url ?? null,
      ...(urls ? { version_url: urls.versionInvocations } : {}),
    };
  },
});

/** Waits (bounded) until the server answers 404 for the alias (asked with its token, when it checks one); SERVER_ERROR when it still serves it or does not answer. */
async function confirmStopped(serverUrl: string, metadataUrl: string, headers: Record<string, string>, label: string): Promise<void> {
  const deadline = Date.now() + STOP_WAIT_MS;
  for (;;) {
    const res = await fetch(metadataUrl, { headers, signal: AbortSignal.timeout(STOP_WAIT_MS) }).catch((e: Error) => {
      throw new DwError("SERVER_ERROR", `${label} was undeployed, but the dw server at ${serverUrl} did not answer: ${e.message}.`, {
        hint: "See .dw/server.log in the workspace. A server started later serves only what the registry says.",
      });
    });
    await res.body?.cancel();
    if (res.status === 404) return;
    if (Date.now() >= deadline) {
      throw new DwError("SERVER_ERROR", `${label} was undeployed, but the dw server at ${serverUrl} still answers for it (status ${res.status}).`, {
        hint: "See .dw/server.log in the workspace; restarting dw serve makes it serve only what the registry says.",
      });
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
