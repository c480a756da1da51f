import { ServingStatus, type EndpointTraffic } from "./ServingStatus.js";
import type { ServerInfo } from "./serverInfo.js";
import { authHeadersFor, type ServerAuth } from "./token.js";
import { endpointUrls } from "./endpointUrls.js";

/** How long a status read waits for the server: it is on this machine, so an answer takes milliseconds or the server is stuck. */
const TIMEOUT_MS = 2_000;

/**
 * What the workspace's server said about its traffic: its `/status`, or why there is none, in a
 * sentence for the user (no server, a server too old to have the route, a refusal or a bad answer).
 */
export type TrafficReading = { kind: "measured"; status: ServingStatus } | { kind: "not_running" | "no_status_route" | "unreadable"; note: string };

/**
 * `GET /status` of the workspace's running dw serve (`server`, as findServer found it), with the
 * token the server asks for. Never throws: a server that cannot be asked is a reading that says why.
 *
 * @example
 * ```ts
 * const reading = await readServingStatus(await findServer(ws));
 * if (reading.kind === "measured") reading.status.endpoints;
 * ```
 */
export async function readServingStatus(server: (ServerInfo & ServerAuth) | null): Promise<TrafficReading> {
  if (!server) return { kind: "not_running", note: "dw serve is not running, so there is no traffic to report; deploy_model starts it." };
  let res: Response;
  try {
    res = await fetch(`${server.url}/status`, { headers: await authHeadersFor(server), signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (e) {
    return { kind: "unreadable", note: `dw serve at ${server.url} did not answer /status: ${e instanceof Error ? e.message : String(e)}.` };
  }
  const text = await res.text().catch(() => "");
  if (res.status === 404) {
    return {
      kind: "no_status_route",
      note: `dw serve at ${server.url} does not report traffic (it has no /status): restart it with this dw to measure traffic.`,
    };
  }
  if (!res.ok) return { kind: "unreadable", note: `dw serve at ${server.url} answered /status with ${res.status}.` };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { kind: "unreadable", note: `dw serve at ${server.url} answered /status with something that is not JSON.` };
  }
  const parsed = ServingStatus.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      kind: "unreadable",
      note: `dw serve at ${server.url} answered /status in another form than this dw reads (${issue ? issue.path.join(".") : "?"}).`,
    };
  }
  return { kind: "measured", status: parsed.data };
}

/** The traffic rows of one deployed alias: every version and protocol it answered with since the server started, the newest version first. */
export function aliasTraffic(status: ServingStatus, model: string, alias: string): EndpointTraffic[] {
  return status.endpoints
    .filter((e) => e.model_name === model && e.alias === alias)
    .sort((a, b) => b.version - a.version || a.protocol.localeCompare(b.protocol));
}

/** Whether the server answers for `model@alias` and with which version: its metadata route, which counts as no traffic. */
export async function probeEndpoint(
  server: ServerInfo & ServerAuth,
  model: string,
  alias: string,
): Promise<{ answers: boolean; version: number | null; note?: string }> {
  const url = endpointUrls(server.url, encodeURIComponent(model), encodeURIComponent(alias), 0).metadata;
  try {
    const res = await fetch(url, { headers: await authHeadersFor(server), signal: AbortSignal.timeout(TIMEOUT_MS) });
    const body = (await res.json().catch(() => null)) as { version?: unknown; message?: unknown } | null;
    if (res.ok && typeof body?.version === "number") return { answers: true, version: body.version };
    const why = typeof body?.message === "string" ? `: ${body.message}` : "";
    return { answers: false, version: null, note: `dw serve answers ${res.status} for ${model}@${alias}${why}` };
  } catch (e) {
    return { answers: false, version: null, note: `dw serve did not answer for ${model}@${alias}: ${e instanceof Error ? e.message : String(e)}` };
  }
}
