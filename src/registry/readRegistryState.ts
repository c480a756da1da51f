import type { ToolContext } from "../tools/ToolContext.js";
import type { Workspace } from "../workspace/Workspace.js";
import type { ServerInfo } from "../server/serverInfo.js";
import type { RegistryState, ModelState, ModelVersionState, EndpointState } from "../comm/protocol.js";
import { listModels, readAliases, requireVersion } from "./readRegistry.js";
import { modelVersionRef } from "./refs.js";
import { findServer } from "../server/ensureServer.js";
import { endpointUrls, curlExample } from "../server/endpointUrls.js";
import { exampleRow } from "../models/exampleRow.js";
import { ModelJson } from "../models/ModelJson.js";
import { isDwError } from "../errors/DwError.js";

/**
 * What the sidebar shows: models with versions and aliases, and the deployed endpoints.
 *
 * Each model, version and endpoint is read on its own: one whose records are damaged (a hand
 * edit, a bad push, a hostile model.json) is listed with a one-sentence `error`, and all the
 * others are listed as usual. A listing must never go blank because of one bad file.
 *
 * @example
 * const state = await readRegistryState(await createToolContext({ cwd: process.cwd() }));
 */
export async function readRegistryState(ctx: ToolContext): Promise<RegistryState> {
  const ws = ctx.workspace;
  const models: ModelState[] = [];
  for (const [name, versions] of [...(await listModels(ws))].sort(([a], [b]) => a.localeCompare(b))) {
    models.push(await readModelState(ws, name, versions));
  }
  const server = await findServer(ws);
  const endpoints: EndpointState[] = [];
  // From the deployment refs' names, each read on its own so that one damaged record fails only
  // its own endpoint; the alias, as served, says which version.
  for (const name of await ws.listRefs("refs/dw/deployments")) {
    const [model, alias, ...more] = name.split("/");
    const aliases = models.find((m) => m.name === model)?.aliases;
    if (!model || !alias || more.length > 0 || !aliases || !Object.hasOwn(aliases, alias)) continue;
    const version = aliases[alias];
    endpoints.push(await readEndpointState(ws, server, model, alias, version));
  }
  return { workspace: ws.root, server: server ? { url: server.url, live: true } : null, models, endpoints };
}

async function readModelState(ws: Workspace, name: string, versions: number[]): Promise<ModelState> {
  let aliases: Record<string, number> = {};
  let error: string | undefined;
  try {
    aliases = await readAliases(ws, name);
  } catch (e) {
    error = `The aliases of ${name} cannot be read: ${messageOf(e)}`;
  }
  const vs: ModelVersionState[] = [];
  for (const version of [...versions].reverse()) {
    try {
      const info = await requireVersion(ws, name, version, aliases);
      vs.push({
        version,
        run_id: info.run_id,
        created_at: info.registered_at,
        algorithm: info.run.algorithm,
        metrics: info.run.metrics,
        aliases: info.aliases,
      });
    } catch (e) {
      // Gone since the listing (deleted meanwhile): nothing to show.
      if (isDwError(e) && e.code === "NOT_FOUND") continue;
      const named = Object.entries(aliases)
        .filter(([, v]) => v === version)
        .map(([a]) => a)
        .sort();
      vs.push({ version, run_id: "", created_at: "", aliases: named, error: messageOf(e) });
    }
  }
  return { name, versions: vs, aliases, ...(error ? { error } : {}) };
}

async function readEndpointState(ws: Workspace, server: ServerInfo | null, model: string, alias: string, version: number): Promise<EndpointState> {
  const invocations = server ? endpointUrls(server.url, model, alias, version).invocations : "";
  const endpoint: EndpointState = { model, alias, version, invocations_url: invocations, live: server !== null };
  try {
    const json = await readModelJson(ws, model, version);
    if (server)
      endpoint.curl = curlExample(
        invocations,
        json.signature.inputs.map((f) => f.name),
        exampleRow(json),
      );
  } catch (e) {
    endpoint.error = messageOf(e);
  }
  return endpoint;
}

/** model.json of a registered version, validated as the server validates it before serving. */
async function readModelJson(ws: Workspace, name: string, version: number): Promise<ModelJson> {
  const ref = modelVersionRef(name, version);
  const commit = await ws.readRef(ref);
  const text = commit ? await ws.readText(commit, "model.json") : null;
  if (text === null) throw new Error(`${name} v${version} has no model.json (${ref}).`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new Error(`model.json of ${name} v${version} is not valid JSON (${ref}).`);
  }
  const parsed = ModelJson.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `model.json of ${name} v${version} is not a valid dw model: ${issue ? `${issue.path.join(".") || "(root)"}: ${issue.message}` : parsed.error.message} (${ref}).`,
    );
  }
  return parsed.data;
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
