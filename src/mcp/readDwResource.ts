import { z } from "zod";
import type { Workspace } from "../workspace/Workspace.js";
import { DwError } from "../errors/DwError.js";
import { checkAlias, checkModelName } from "../workspace/refNames.js";
import { GateReport } from "../policy/GateReport.js";
import { GateOverrideRecord } from "../policy/GateOverrideRecord.js";
import { readRun } from "../runs/readRun.js";
import { RunMetrics, TrainingParameters } from "../runs/RunRecord.js";
import { runRef } from "../runs/runId.js";
import { listModelVersions } from "../registry/listModelVersions.js";
import { listModels, readAliases, readDeploymentEntry, Registration, requireVersion } from "../registry/readRegistry.js";
import { deploymentRef } from "../registry/refs.js";
import { readModelCard } from "../governance/policy/readModelCard.js";
import { parseResourceUri, resourceUri } from "./resourceUris.js";
import { listRunIds, listDeployedAliases } from "./listDwResources.js";

/** The gate reports a run or deployment commit may hold, as `gates/<gate>.json`: each gate's report, and the override of failed ones. */
const GATES = [...GateReport.shape.gate.options, "override"] as const;
const GateDocument = z.union([GateReport, GateOverrideRecord]);

/**
 * The JSON document a `dw://` address names, read with the registry's and the runs' own readers:
 * a model list, a model, a version (registration, metrics, model card fields, aliases), a run
 * (run.json, params.json, metrics.json), a deployment, a gate report. Links to related records are
 * addresses too, so an agent can follow and cite them. NOT_FOUND (saying what there is) for a
 * record that does not exist; INVALID_INPUT for an address that is not one of dw's.
 *
 * @example
 * ```ts
 * const doc = await readDwResource(ws, "dw://models/temp/2");
 * ```
 */
export async function readDwResource(ws: Workspace, uri: string): Promise<unknown> {
  const address = parseResourceUri(uri);
  if (!address) {
    throw new DwError("INVALID_INPUT", `'${uri.slice(0, 200)}' is not a dw resource address.`, {
      hint: "dw's addresses are dw://models, dw://models/{name}, dw://models/{name}/{version}, dw://runs, dw://runs/{run_id}, dw://runs/{run_id}/gates/{gate}, dw://deployments, dw://deployments/{name}/{alias} and its gates/{gate}; resources/templates/list lists them.",
      details: { field: "uri" },
    });
  }
  const v = address.vars;
  switch (address.kind) {
    case "models":
      return readModels(ws);
    case "model":
      return readModel(ws, v.name);
    case "version":
      return readVersionDocument(ws, v.name, v.version);
    case "runs":
      return { runs: (await listRunIds(ws)).map((run_id) => ({ run_id, uri: resourceUri.run(run_id) })) };
    case "run":
      return readRunDocument(ws, v.run_id);
    case "runGate": {
      const { oid } = await readRun(ws, v.run_id, "uri");
      return readGate(ws, oid, v.gate, `run ${v.run_id}`, runRef(v.run_id));
    }
    case "deployments":
      return { deployments: await listDeployedAliases(ws) };
    case "deployment":
      return readDeploymentDocument(ws, v.name, v.alias);
    case "deploymentGate": {
      const { oid } = await deploymentHead(ws, v.name, v.alias);
      return readGate(ws, oid, v.gate, `the last deployment of ${v.name}@${v.alias}`, deploymentRef(v.name, v.alias));
    }
  }
}

async function readModels(ws: Workspace) {
  const models = [];
  for (const [name, versions] of [...(await listModels(ws))].sort(([a], [b]) => a.localeCompare(b))) {
    models.push({ name, uri: resourceUri.model(name), versions, aliases: await readAliases(ws, name) });
  }
  return { models };
}

async function readModel(ws: Workspace, name: string) {
  const { total, aliases, versions } = await listModelVersions(ws, name);
  return {
    name,
    total,
    aliases,
    versions: versions.map((info) => ({
      version: info.version,
      uri: resourceUri.version(name, info.version),
      run_id: info.run_id,
      registered_at: info.registered_at,
      ...(info.description !== undefined ? { description: info.description } : {}),
      aliases: info.aliases,
      algorithm: info.run.algorithm,
      metrics: info.run.metrics,
    })),
  };
}

async function readVersionDocument(ws: Workspace, name: string, versionText: string) {
  checkModelName(name, "uri");
  const version = /^[1-9]\d{0,15}$/.test(versionText) ? Number(versionText) : Number.NaN;
  if (!Number.isSafeInteger(version)) {
    throw new DwError("INVALID_INPUT", `'${versionText.slice(0, 40)}' is not a version number.`, {
      hint: `Versions are whole numbers from 1, e.g. ${resourceUri.version(name, 1)}.`,
      details: { field: "uri" },
    });
  }
  const info = await requireVersion(ws, name, version);
  const registration = await ws.readDocument(Registration, info.commit, "registration.json");
  return {
    name,
    version,
    commit: info.commit,
    registration,
    aliases: info.aliases,
    metrics: info.run.metrics,
    model_card: await readModelCard(ws, info),
    run: resourceUri.run(info.run_id),
    gates: await gateLinks(ws, info.commit, (gate) => resourceUri.runGate(info.run_id, gate)),
  };
}

async function readRunDocument(ws: Workspace, runId: string) {
  const { oid, run } = await readRun(ws, runId, "uri");
  const ref = runRef(runId);
  return {
    run_id: runId,
    commit: oid,
    run,
    params: await ws.readDocument(TrainingParameters, oid, "params.json", ref),
    metrics: await ws.readDocument(RunMetrics, oid, "metrics.json", ref),
    gates: await gateLinks(ws, oid, (gate) => resourceUri.runGate(runId, gate)),
  };
}

async function deploymentHead(ws: Workspace, name: string, alias: string) {
  checkModelName(name, "uri");
  checkAlias(alias, "uri");
  const oid = await ws.readRef(deploymentRef(name, alias));
  const record = oid ? await readDeploymentEntry(ws, oid, name) : null;
  if (!oid || !record) {
    throw new DwError("NOT_FOUND", `${name}@${alias} has never been deployed.`, {
      hint: `The deployments are listed at ${resourceUri.deployments()}; deploy_model deploys a version under an alias.`,
      details: { field: "uri" },
    });
  }
  return { oid, record };
}

async function readDeploymentDocument(ws: Workspace, name: string, alias: string) {
  const { oid, record } = await deploymentHead(ws, name, alias);
  return {
    name,
    alias,
    commit: oid,
    record,
    ...(record.version !== null ? { version: resourceUri.version(name, record.version) } : {}),
    gates: await gateLinks(ws, oid, (gate) => resourceUri.deploymentGate(name, alias, gate)),
  };
}

/** The gate reports a commit holds, by gate, as addresses. */
async function gateLinks(ws: Workspace, oid: string, uri: (gate: string) => string): Promise<Record<string, string>> {
  const links: Record<string, string> = {};
  for (const gate of GATES) {
    // A report too damaged to read is still linked: reading it then says what is wrong with it.
    if ((await ws.readText(oid, `gates/${gate}.json`).catch(() => "")) !== null) links[gate] = uri(gate);
  }
  return links;
}

async function readGate(ws: Workspace, oid: string, gate: string, what: string, ref: string) {
  const known = (GATES as readonly string[]).includes(gate);
  const report = known ? await ws.readDocument(GateDocument, oid, `gates/${gate}.json`, ref) : null;
  if (!report) {
    const present = Object.keys(await gateLinks(ws, oid, (g) => g));
    throw new DwError("NOT_FOUND", `${what} has no ${known ? `${gate} gate report` : `gate '${gate.slice(0, 40)}'`}.`, {
      hint: present.length ? `Its gate reports: ${present.join(", ")}.` : "It holds no gate reports.",
      details: { field: "uri" },
    });
  }
  return report;
}
