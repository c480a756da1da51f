import { z } from "zod";
import { defineTool } from "./defineTool.js";
import { WorkspaceState, type EndpointState } from "./WorkspaceState.js";
import type { DeployedAlias } from "../registry/readRegistryListing.js";
import { findServer } from "../server/ensureServer.js";
import { curlExample, endpointUrls } from "../server/endpointUrls.js";
import type { ServerInfo } from "../server/serverInfo.js";
import { aliasTraffic, readServingStatus } from "../server/readServingStatus.js";
import { readTrainings } from "../runs/readTrainings.js";
import { CURL_AUTH_OPTION, type ServerAuth } from "../server/token.js";

export const GetWorkspaceStateInput = z.strictObject({});
export type GetWorkspaceStateInput = z.infer<typeof GetWorkspaceStateInput>;

export const GetWorkspaceStateOutput = WorkspaceState;
export type GetWorkspaceStateOutput = WorkspaceState;

/**
 * What the dw sidebar shows, for any adapter to ask: the registered models with their versions,
 * aliases and metrics, the deployed endpoints with a curl to paste and the traffic the running
 * server measured (requests, errors, p50/p99), the trainings running, and whether `dw serve`
 * answers. The sidebar asks for it every few seconds while it is open. It starts nothing: without a running server the endpoints are listed as not live. A damaged
 * record marks its own model, version or endpoint with an `error`; the rest are listed as usual.
 *
 * @example
 * ```ts
 * const { models, endpoints } = await dw.getWorkspaceState({});
 * ```
 */
export const getWorkspaceState = defineTool({
  name: "get_workspace_state",
  annotations: { effect: "reads" },
  description:
    "Show the workspace as the dw sidebar does: registered models with their versions, aliases and metrics, deployed endpoints with a ready-to-paste curl and their traffic, trainings running, and whether dw serve is running.",
  input: GetWorkspaceStateInput,
  output: GetWorkspaceStateOutput,
  async run(_input, ctx) {
    const ws = ctx.workspace;
    const { readRegistryListing } = await import("../registry/readRegistryListing.js");
    const { models, deployed } = await readRegistryListing(ws);
    const server = await findServer(ws);
    const reading = await readServingStatus(server);
    const trainings = (await readTrainings(ws, ctx.now())).filter((t) => t.state === "running");
    return {
      workspace: ws.root,
      server: server ? { url: server.url, live: true } : null,
      models,
      endpoints: deployed.map((d) => {
        const endpoint = endpointState(d, server);
        if (reading.kind === "measured") endpoint.traffic = aliasTraffic(reading.status, d.model, d.alias).filter((t) => t.version === d.version);
        return endpoint;
      }),
      trainings,
    };
  },
});

/** A deployed alias as an endpoint of `server`: its scoring URL and, when the server runs, a curl with an example row. */
function endpointState(d: DeployedAlias, server: (ServerInfo & ServerAuth) | null): EndpointState {
  const invocations = server ? endpointUrls(server.url, d.model, d.alias, d.version).invocations : "";
  const endpoint: EndpointState = { model: d.model, alias: d.alias, version: d.version, invocations_url: invocations, live: server !== null };
  if (d.error !== undefined) endpoint.error = d.error;
  else if (server && d.example)
    endpoint.curl = curlExample(invocations, d.example.columns, d.example.row) + (server.auth === "bearer" ? ` ${CURL_AUTH_OPTION}` : "");
  return endpoint;
}
