import { DwError } from "../errors/DwError.js";
import type { ModelJson } from "../models/ModelJson.js";
import { exampleRow } from "../models/exampleRow.js";
import { curlExample, endpointUrls } from "./endpointUrls.js";
import type { ServerInfo } from "./serverInfo.js";
import { authHeadersFor, CURL_AUTH_OPTION, type ServerAuth } from "./token.js";

/** Where a deployment answers, once the server has been seen serving it. */
export interface ServedEndpoint {
  server_url: string;
  /** Scoring URL for the alias. */
  endpoint_url: string;
  /** Scoring URL pinned to the version. */
  version_url: string;
  /** A ready-to-paste request with one example row (reading the token from its file, when the server checks one). */
  curl: string;
  /** Set when another deployment moved the alias on from this version before the server was asked. */
  superseded_by?: number;
}

/**
 * Checks that the workspace's server serves a version just deployed before anyone is told it is
 * live: the URL pinned to the version must answer with that version (it does even when a
 * concurrent deploy has moved the alias on since; the alias URL then says which version won).
 * SERVER_ERROR when the server does not answer or serves something else.
 *
 * @example
 * ```ts
 * const served = await confirmServing(await ctx.ensureServer(), { model: "temp", alias: "production", version: 3, json: model.json });
 * served.endpoint_url; // http://127.0.0.1:PORT/models/temp@production/invocations
 * ```
 */
export async function confirmServing(
  server: ServerInfo & ServerAuth,
  args: { model: string; alias: string; version: number; json: ModelJson },
): Promise<ServedEndpoint> {
  const urls = endpointUrls(server.url, args.model, args.alias, args.version);
  const headers = await authHeadersFor(server);
  const meta = await fetchVersion(urls.versionMetadata, server.url, headers);
  if (meta.status !== 200 || meta.version !== args.version) {
    throw new DwError("SERVER_ERROR", `The dw server at ${server.url} is not serving ${args.model} v${args.version} (status ${meta.status}).`, {
      hint: "See .dw/server.log in the workspace.",
    });
  }
  const aliasNow = await fetchVersion(urls.metadata, server.url, headers);
  const supersededBy = aliasNow.status === 200 && aliasNow.version !== args.version ? aliasNow.version : undefined;
  return {
    server_url: server.url,
    endpoint_url: urls.invocations,
    version_url: urls.versionInvocations,
    curl:
      curlExample(
        urls.invocations,
        args.json.signature.inputs.map((f) => f.name),
        exampleRow(args.json),
      ) + (server.auth === "bearer" ? ` ${CURL_AUTH_OPTION}` : ""),
    ...(supersededBy !== undefined ? { superseded_by: supersededBy } : {}),
  };
}

/** The version a metadata URL answers with, and its status (0 when the server did not answer). */
async function fetchVersion(url: string, serverUrl: string, headers: Record<string, string>): Promise<{ status: number; version?: number }> {
  const res = await fetch(url, { headers }).catch((e: Error) => {
    throw new DwError("SERVER_ERROR", `The dw server at ${serverUrl} did not answer: ${e.message}.`, { hint: "See .dw/server.log in the workspace." });
  });
  const meta = (await res.json().catch(() => null)) as { version?: unknown } | null;
  return { status: res.status, version: typeof meta?.version === "number" ? meta.version : undefined };
}
