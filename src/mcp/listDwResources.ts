import type { Resource } from "@modelcontextprotocol/sdk/types.js";
import type { Workspace } from "../workspace/Workspace.js";
import { isAlias, isModelName } from "../workspace/refNames.js";
import { RUN_ID } from "../runs/runId.js";
import { listModels, readDeploymentEntry } from "../registry/readRegistry.js";
import { deploymentRef } from "../registry/refs.js";
import { RESOURCE_MIME, resourceUri } from "./resourceUris.js";

/** Every run id of the workspace, newest first (a run id starts with its date and time). */
export async function listRunIds(ws: Workspace): Promise<string[]> {
  return (await ws.listRefs("refs/dw/runs"))
    .filter((id) => RUN_ID.test(id))
    .sort()
    .reverse();
}

/** Every alias that has a deployment record, with the version it serves (null once undeployed). */
export async function listDeployedAliases(ws: Workspace): Promise<{ name: string; alias: string; version: number | null; uri: string }[]> {
  const out = [];
  for (const ref of (await ws.listRefs("refs/dw/deployments")).sort()) {
    const [name, alias, ...more] = ref.split("/");
    if (more.length > 0 || !isModelName(name ?? "") || !isAlias(alias ?? "")) continue;
    const oid = await ws.readRef(deploymentRef(name, alias)).catch(() => null);
    const record = oid ? await readDeploymentEntry(ws, oid, name) : null;
    if (!record) continue;
    out.push({ name, alias, version: record.version, uri: resourceUri.deployment(name, alias) });
  }
  return out;
}

/**
 * What resources/list shows: the three listings, then each model, model version, deployment and
 * run, each with its address. Read from the refs' names (and each deployment's record), so the
 * list costs one pass over refs/dw/.
 */
export async function listDwResources(ws: Workspace): Promise<Resource[]> {
  const json = { mimeType: RESOURCE_MIME };
  const out: Resource[] = [
    { uri: resourceUri.models(), name: "models", title: "Registered models", ...json },
    { uri: resourceUri.deployments(), name: "deployments", title: "Deployments", ...json },
    { uri: resourceUri.runs(), name: "runs", title: "Training runs", ...json },
  ];
  for (const [name, versions] of [...(await listModels(ws))].sort(([a], [b]) => a.localeCompare(b))) {
    if (!isModelName(name)) continue;
    out.push({ uri: resourceUri.model(name), name: `model ${name}`, title: `Model ${name}`, ...json });
    for (const v of [...versions].reverse()) {
      out.push({ uri: resourceUri.version(name, v), name: `${name}/${v}`, title: `${name} version ${v}`, ...json });
    }
  }
  for (const d of await listDeployedAliases(ws)) {
    const what = d.version === null ? "undeployed" : `serves version ${d.version}`;
    out.push({ uri: d.uri, name: `${d.name}@${d.alias}`, title: `Deployment ${d.name}@${d.alias}`, description: `${d.name}@${d.alias} ${what}.`, ...json });
  }
  for (const id of await listRunIds(ws)) {
    out.push({ uri: resourceUri.run(id), name: `run ${id}`, title: `Run ${id}`, ...json });
  }
  return out;
}
