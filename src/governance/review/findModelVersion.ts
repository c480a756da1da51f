import type { Workspace } from "../../workspace/Workspace.js";
import { DwError } from "../../errors/DwError.js";
import { checkModelName } from "../../workspace/refNames.js";
import { listModels, requireVersion, type VersionInfo } from "../../registry/readRegistry.js";

/** A registered version (the newest when `version` is not given), or NOT_FOUND naming the models or versions there are. */
export async function findModelVersion(ws: Workspace, model: string, version?: number): Promise<VersionInfo> {
  checkModelName(model);
  const models = await listModels(ws);
  const versions = models.get(model);
  if (!versions) {
    throw new DwError("NOT_FOUND", `No registered model named '${model}'.`, {
      hint: models.size
        ? `Registered models: ${[...models.keys()].sort().join(", ")}.`
        : "Register one first: %dw register_model --run_id run.run_id --name NAME",
      details: { field: "model_name" },
    });
  }
  const v = version ?? versions[versions.length - 1];
  if (!versions.includes(v)) {
    throw new DwError("NOT_FOUND", `Model '${model}' has no version ${v}.`, { hint: `Its versions: ${versions.join(", ")}.`, details: { field: "version" } });
  }
  return requireVersion(ws, model, v);
}
