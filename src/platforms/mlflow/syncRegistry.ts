import type { DomainContext } from "../../workspace/DomainContext.js";
import { DwError } from "../../errors/DwError.js";
import { listModels, readAliases, requireVersion } from "../../registry/readRegistry.js";
import type { MlflowClient } from "./mlflowClient.js";
import { isRefusal } from "./MlflowRefusal.js";
import { ModelVersionAnswer, ModelVersionsPage, readAnswer, RegisteredModelAnswer, tagRecord } from "./mlflowAnswers.js";
import { MODEL_ARTIFACT_DIR } from "./readRunMirror.js";
import type { SyncedRunState } from "./syncRun.js";
import { syncProblem } from "./syncProblem.js";
import { emptyOutcome, type SyncedAlias, type SyncedVersion, type SyncProblem } from "./MlflowSyncReport.js";

export interface RegistrySynced {
  versions: ReturnType<typeof emptyOutcome<SyncedVersion>>;
  aliases: ReturnType<typeof emptyOutcome<SyncedAlias>>;
  errors: SyncProblem[];
}

/**
 * Mirrors every registered version (refs/dw/models/<name>/<version>) as a version of the MLflow
 * registered model of the same name, whose source is the model folder of its run's MLflow run,
 * and every alias as an MLflow alias. MLflow numbers its versions itself, in the order they reach
 * it, so dw's v3 may be MLflow's 1: versions are matched by their dw.version tag, never by number,
 * and an alias is set on the MLflow version tagged with the dw version it names. A version whose
 * run is not mirrored, and an alias MLflow refuses (it reserves `latest` and v<number>), are
 * errors for that item; the rest go on. Nothing is deleted in MLflow.
 */
export async function syncRegistry(ctx: DomainContext, mlflow: MlflowClient, mirrored: ReadonlyMap<string, SyncedRunState>): Promise<RegistrySynced> {
  const ws = ctx.workspace;
  const out: RegistrySynced = { versions: emptyOutcome(), aliases: emptyOutcome(), errors: [] };
  for (const [name, versions] of [...(await listModels(ws))].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (ctx.signal?.aborted)
      throw new DwError("INTERRUPTED", `The MLflow sync was interrupted at model '${name}'; what was sent is consistent and the next sync finishes it.`);
    ctx.progress?.({ message: `MLflow: model ${name}`, done: 0 });
    let mlflowAliases: Map<string, string>;
    let byDwVersion: Map<number, { version: string; commit?: string; description: string }>;
    try {
      mlflowAliases = await ensureRegisteredModel(mlflow, name);
      byDwVersion = await mirroredVersions(mlflow, name);
    } catch (e) {
      out.errors.push(syncProblem("model", name, e));
      continue;
    }
    const dwAliases = await readAliases(ws, name);
    for (const version of versions) {
      const item = `${name}/${version}`;
      try {
        const info = await requireVersion(ws, name, version, dwAliases);
        const description = info.description ?? "";
        const have = byDwVersion.get(version);
        if (have && have.commit !== undefined && have.commit !== info.commit) {
          // Not ours: no alias of this workspace may be set on it.
          byDwVersion.delete(version);
          throw new DwError(
            "CONFLICT",
            `MLflow's ${name} version ${have.version} is tagged as dw ${item} of another registration (commit ${have.commit.slice(0, 12)}, here ${info.commit.slice(0, 12)}): another workspace synced a different ${item}.`,
            {
              hint: "Share the registry first (dw pull, then dw push) so both workspaces hold the same versions, or sync to another tracking server.",
            },
          );
        }
        if (!have) {
          const run = mirrored.get(info.run_id);
          if (!run)
            throw new DwError("CONFLICT", `Version ${item} is not synced: its run ${info.run_id} is not in MLflow (see that run's error).`, {
              details: { run_id: info.run_id },
            });
          const created = await mlflow.call("POST", "model-versions/create", {
            name,
            source: `${run.artifactUri.replace(/\/+$/, "")}/${MODEL_ARTIFACT_DIR}`,
            run_id: run.mlflowRunId,
            description,
            tags: [
              { key: "dw.version", value: String(version) },
              { key: "dw.run_id", value: info.run_id },
              { key: "dw.commit", value: info.commit },
            ],
          });
          const mv = readAnswer(ModelVersionAnswer, created, mlflow.url, "model-versions/create").model_version;
          byDwVersion.set(version, { version: mv.version, commit: info.commit, description });
          out.versions.created.push({ model_name: name, version, mlflow_version: mv.version });
        } else if (have.description !== description || have.commit === undefined) {
          await mlflow.call("PATCH", "model-versions/update", { name, version: have.version, description });
          if (have.commit === undefined)
            await mlflow.call("POST", "model-versions/set-tag", { name, version: have.version, key: "dw.commit", value: info.commit });
          out.versions.updated.push({ model_name: name, version, mlflow_version: have.version });
        } else {
          out.versions.unchanged.push({ model_name: name, version, mlflow_version: have.version });
        }
      } catch (e) {
        out.errors.push(syncProblem("version", item, e));
      }
    }
    for (const [alias, version] of Object.entries(dwAliases)) {
      const item = `${name}@${alias}`;
      try {
        const target = byDwVersion.get(version);
        if (!target)
          throw new DwError("CONFLICT", `Alias ${item} is not synced: the version it names, ${name}/${version}, is not in MLflow (see that version's error).`);
        const entry = { model_name: name, alias, version, mlflow_version: target.version };
        const current = mlflowAliases.get(alias);
        if (current === target.version) {
          out.aliases.unchanged.push(entry);
          continue;
        }
        await mlflow.call("POST", "registered-models/alias", { name, alias, version: target.version });
        out.aliases[current === undefined ? "created" : "updated"].push(entry);
      } catch (e) {
        out.errors.push(syncProblem("alias", item, e));
      }
    }
  }
  return out;
}

/** The registered model's aliases (alias → MLflow version), creating the model when MLflow has none of that name. */
async function ensureRegisteredModel(mlflow: MlflowClient, name: string): Promise<Map<string, string>> {
  try {
    const { registered_model } = readAnswer(
      RegisteredModelAnswer,
      await mlflow.call("GET", "registered-models/get", { name }),
      mlflow.url,
      "registered-models/get",
    );
    return new Map(registered_model.aliases.map((a) => [a.alias, a.version]));
  } catch (e) {
    if (!isRefusal(e, "RESOURCE_DOES_NOT_EXIST")) throw e;
  }
  try {
    await mlflow.call("POST", "registered-models/create", { name, tags: [{ key: "dw.model_name", value: name }] });
  } catch (e) {
    if (!isRefusal(e, "RESOURCE_ALREADY_EXISTS")) throw e;
  }
  return new Map();
}

/**
 * The MLflow versions of model `name` that mirror a dw version, by their dw.version tag, with the
 * registration commit they mirror (dw.commit) and their description. Where two carry the same dw
 * version, the lowest MLflow number is kept: it was made first.
 */
async function mirroredVersions(mlflow: MlflowClient, name: string): Promise<Map<number, { version: string; commit?: string; description: string }>> {
  const out = new Map<number, { version: string; commit?: string; description: string }>();
  let pageToken: string | undefined;
  do {
    const filter = `name = '${name.replace(/'/g, "\\'")}'`;
    const answer = await mlflow.call("GET", "model-versions/search", { filter, max_results: 1000, page_token: pageToken });
    const page = readAnswer(ModelVersionsPage, answer, mlflow.url, "model-versions/search");
    for (const mv of page.model_versions) {
      const tags = tagRecord(mv.tags);
      const dwVersion = Number(tags["dw.version"]);
      if (mv.name !== name || !Number.isSafeInteger(dwVersion) || dwVersion < 1) continue;
      const kept = out.get(dwVersion);
      if (!kept || Number(mv.version) < Number(kept.version))
        out.set(dwVersion, { version: mv.version, commit: tags["dw.commit"], description: mv.description ?? "" });
    }
    pageToken = page.next_page_token || undefined;
  } while (pageToken);
  return out;
}
