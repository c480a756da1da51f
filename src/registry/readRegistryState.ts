import type { ToolContext } from "../tools/ToolContext.js";
import type { RegistryState, ModelState, EndpointState } from "../comm/protocol.js";
import { listDeployments, listModels, readAliases, readVersion } from "./readRegistry.js";
import { findServer } from "../server/ensureServer.js";
import { endpointUrls, curlExample } from "../server/endpointUrls.js";
import { exampleRow } from "../models/exampleRow.js";
import type { ModelJson } from "../models/ModelJson.js";

/** What the sidebar shows: models with versions and aliases, and the deployed endpoints. */
export async function readRegistryState(ctx: ToolContext): Promise<RegistryState> {
  const ws = ctx.workspace;
  const models: ModelState[] = [];
  for (const [name, versions] of [...(await listModels(ws))].sort(([a], [b]) => a.localeCompare(b))) {
    const aliases = await readAliases(ws, name);
    const vs = [];
    for (const v of [...versions].reverse()) {
      const info = await readVersion(ws, name, v, aliases);
      if (!info) continue;
      vs.push({ version: v, run_id: info.run_id, created_at: info.registered_at, algorithm: info.run.algorithm, metrics: info.run.metrics, aliases: info.aliases });
    }
    models.push({ name, versions: vs, aliases });
  }
  const server = await findServer(ws);
  const endpoints: EndpointState[] = [];
  for (const d of await listDeployments(ws)) {
    const version = models.find((m) => m.name === d.model_name)?.aliases[d.alias];
    if (version === undefined) continue;
    const invocations = server ? endpointUrls(server.url, d.model_name, d.alias, version).invocations : "";
    const commit = await ws.readRef(`refs/dw/models/${d.model_name}/${version}`);
    const model = commit ? await ws.readJson<ModelJson>(commit, "model.json") : null;
    endpoints.push({
      model: d.model_name,
      alias: d.alias,
      version,
      invocations_url: invocations,
      live: server !== null,
      ...(server && model ? { curl: curlExample(invocations, model.signature.inputs.map((f) => f.name), exampleRow(model)) } : {}),
    });
  }
  return { workspace: ws.root, server: server ? { url: server.url, live: true } : null, models, endpoints };
}
