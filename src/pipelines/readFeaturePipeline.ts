import type { Workspace } from "../workspace/Workspace.js";
import { DwError } from "../errors/DwError.js";
import { checkPipelineName, featurePipelineRef, FeaturePipelineRecord } from "./FeaturePipeline.js";

/**
 * A saved feature pipeline: the latest version, or the one asked for (found by walking back the
 * ref's first parents). Unknown names and versions are NOT_FOUND errors saying what there is.
 */
export async function readFeaturePipeline(ws: Workspace, name: string, version?: number): Promise<{ pipeline: FeaturePipelineRecord; commit: string }> {
  checkPipelineName(name, "pipeline");
  const head = await ws.readRef(featurePipelineRef(name));
  if (!head) {
    const known = await ws.listRefs("refs/dw/pipelines");
    throw new DwError("NOT_FOUND", `No feature pipeline '${name}' in this workspace.`, {
      hint: known.length ? `Known pipelines: ${known.join(", ")}.` : "Create one with create_feature_pipeline.",
      details: { field: "pipeline", pipeline: name },
    });
  }
  let oid: string | undefined = head;
  while (oid) {
    const pipeline = FeaturePipelineRecord.parse(await ws.readJson(oid, "pipeline.json"));
    if (version === undefined || pipeline.version === version) return { pipeline, commit: oid };
    if (pipeline.version < version) break;
    oid = (await ws.readCommit(oid)).parents[0];
  }
  const latest = FeaturePipelineRecord.parse(await ws.readJson(head, "pipeline.json")).version;
  throw new DwError("NOT_FOUND", `Feature pipeline '${name}' has no version ${version}.`, {
    hint: `Versions 1 to ${latest} exist.`,
    details: { field: "pipeline", pipeline: name, version },
  });
}
