import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Workspace } from "../../workspace/Workspace.js";
import { openWorkspace } from "../../workspace/Workspace.js";
import { atomicWrite } from "../../workspace/atomicWrite.js";
import { commitMessage } from "../../workspace/commitMessage.js";
import { documentText } from "../../workspace/documentText.js";
import { DwError } from "../../errors/DwError.js";
import { aliasRef, deploymentRef, modelVersionRef } from "../../registry/refs.js";
import { Registration, type DeploymentRecord } from "../../registry/readRegistry.js";
import { runRef } from "../../runs/runId.js";
import { DRIFT_REFERENCE_PATH, DRIFT_SAMPLE_PATH } from "../../monitoring/reference/DriftReference.js";
import { readMonitoringPolicy } from "../../monitoring/monitoringPolicy.js";
import { POLICY_FILE } from "../../policy/readPolicyDocument.js";
import type { ExportedVersion } from "./resolveExportedVersion.js";

/** The alias the store serves the version under: the one `/v2/models/<name>` (OIP, KServe) and `/models/<name>@production` answer. */
export const STORE_ALIAS = "production";

/**
 * The files of the run commit the exported server reads, and nothing else: run.json, params.json
 * and metrics.json (the version's listing), model.json (scoring), data/manifest.json (which data
 * trained it, by id and hash), the training governance report (which inputs the inference log
 * hashes as PII) and the drift reference with its sample (the server's monitor checks its own
 * inference log against it, as at home). Left out: the notebook and cell, the other gate reports,
 * the metrics log, the data snapshot.
 */
export const STORE_RUN_FILES = [
  "run.json",
  "params.json",
  "metrics.json",
  "model.json",
  "data/manifest.json",
  "gates/governance.json",
  DRIFT_REFERENCE_PATH,
  DRIFT_SAMPLE_PATH,
] as const;

/** The deploy gate's files a deployment commit holds, carried into the store's deployment as the evidence. */
const GATE_FILES = ["gates/governance.json", "gates/override.json"] as const;

/** The commits of a model store. */
export interface ModelStore {
  run: string;
  registration: string;
  deployment: string;
  /** Whether the source's dw.policy.yaml was copied (its monitoring section rules the server's log and drift checks). */
  policy: boolean;
}

/**
 * Writes the model store a `dw serve` in the container reads: a new dw workspace at `root` (a git
 * repository) holding one run commit (the files of STORE_RUN_FILES the version has), its
 * registration commit under the same version number, a deployment commit of STORE_ALIAS carrying
 * the source's deploy gate reports, and the alias, all through the Workspace API, so the server
 * reads it exactly as it reads any workspace. Commit ids differ from the source's (the trees are
 * smaller); registration.json and deployment.json name the source commits under `exported`. No
 * data file is copied. The source workspace is only read.
 *
 * @example
 * ```ts
 * const store = await writeModelStore(source, await resolveExportedVersion(source, "temp@production"), "/tmp/out/store", new Date());
 * store.deployment; // the commit refs/dw/deployments/temp/production names
 * ```
 */
export async function writeModelStore(source: Workspace, v: ExportedVersion, root: string, now: Date): Promise<ModelStore> {
  const { info } = v;
  const files: Record<string, string> = {};
  for (const path of STORE_RUN_FILES) {
    const text = await source.readText(info.commit, path);
    if (text !== null) files[path] = text;
  }
  if (files["model.json"] === undefined) {
    throw new DwError("DATA_ERROR", `${info.name} v${info.version} has no model.json, so it cannot be served.`, {
      hint: `Inspect it with: git show ${modelVersionRef(info.name, info.version)} --stat`,
      details: { field: "model_id" },
    });
  }
  const registration = await source.readDocument(Registration, info.commit, "registration.json", modelVersionRef(info.name, info.version));
  if (!registration)
    throw new DwError("DATA_ERROR", `${modelVersionRef(info.name, info.version)} has no registration.json.`, { details: { field: "model_id" } });
  const gateFiles: Record<string, string> = {};
  if (v.evidence.deployment) {
    for (const path of GATE_FILES) {
      const text = await source.readText(v.evidence.deployment, path);
      if (text !== null) gateFiles[path] = text;
    }
  }
  // Read before anything is written: a broken policy stops the export instead of the container.
  const policy = await sourcePolicy(source);

  const store = await openWorkspace(root);
  const exported = {
    from: v.source,
    source_registration_commit: info.commit,
    source_run_commit: registration.run_commit,
    source_deployment: v.evidence,
    exported_at: now.toISOString(),
  };
  return store.withLock(async () => {
    const trailers = { "Dw-Model": info.name, "Dw-Version": info.version, "Dw-Run": info.run_id, "Dw-Via": "export_model" };
    const run = await store.commit({
      ref: runRef(info.run_id),
      message: commitMessage(
        `dw run ${info.run_id}: the files ${info.name} v${info.version} is served from`,
        [`Exported from ${registration.run_commit} by dw export --kserve; the rest of the run stays in the source workspace.`],
        trailers,
      ),
      files,
      now,
    });
    const reg = await store.commit({
      ref: modelVersionRef(info.name, info.version),
      message: commitMessage(`dw model ${info.name} v${info.version}: register run ${info.run_id}`, [`Exported from ${info.commit} (${v.source}).`], trailers),
      base: run,
      parents: [run],
      files: { "registration.json": documentText({ ...registration, run_commit: run, exported }) },
      now,
    });
    const record: DeploymentRecord & { exported: typeof exported } = {
      model_name: info.name,
      alias: STORE_ALIAS,
      version: info.version,
      deployed_at: now.toISOString(),
      exported,
    };
    const deployment = await store.commit({
      ref: deploymentRef(info.name, STORE_ALIAS),
      message: commitMessage(
        `dw deploy ${info.name}@${STORE_ALIAS} -> v${info.version}`,
        [
          `The deploy gate ran in the source workspace: ${v.evidence.deployment ? `deployment ${v.evidence.deployment} of ${info.name}@${v.evidence.alias}` : `${info.name}@${v.evidence.alias}, moved by register_model`}.`,
        ],
        { ...trailers, "Dw-Alias": STORE_ALIAS },
      ),
      files: { "deployment.json": documentText(record), ...gateFiles },
      now,
    });
    await store.writeRef(aliasRef(info.name, STORE_ALIAS), reg);
    if (policy !== null) await atomicWrite(join(store.root, POLICY_FILE), policy);
    return { run, registration: reg, deployment, policy: policy !== null };
  });
}

/** The source's dw.policy.yaml text, once its monitoring section (what the exported server reads) is valid; null when there is none. */
async function sourcePolicy(source: Workspace): Promise<string | null> {
  const text = await readFile(join(source.root, POLICY_FILE), "utf8").catch((e: NodeJS.ErrnoException) => {
    if (e.code === "ENOENT") return null;
    throw e;
  });
  if (text !== null) await readMonitoringPolicy(source);
  return text;
}
