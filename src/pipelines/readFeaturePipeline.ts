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
    const pipeline = await readPipelineRecord(ws, oid, name);
    if (version === undefined || pipeline.version === version) return { pipeline, commit: oid };
    if (pipeline.version < version) break;
    oid = (await ws.readCommit(oid)).parents[0];
  }
  const latest = (await readPipelineRecord(ws, head, name)).version;
  throw new DwError("NOT_FOUND", `Feature pipeline '${name}' has no version ${version}.`, {
    hint: `Versions 1 to ${latest} exist.`,
    details: { field: "pipeline", pipeline: name, version },
  });
}

/**
 * pipeline.json of one commit of the pipeline's history: a DATA_ERROR naming the pipeline's ref
 * (and the commit, the file and the field) when it is missing or fails its schema.
 */
export async function readPipelineRecord(ws: Workspace, oid: string, name: string): Promise<FeaturePipelineRecord> {
  const ref = featurePipelineRef(name);
  const pipeline = await ws.readDocument(FeaturePipelineRecord, oid, "pipeline.json", ref);
  if (pipeline) return pipeline;
  throw new DwError("DATA_ERROR", `The ref ${ref} is damaged: commit ${oid.slice(0, 12)} of its history has no pipeline.json.`, {
    hint: `Inspect it with: git log --stat ${ref}. Define the pipeline again with create_feature_pipeline.`,
    details: { ref, commit: oid, file: "pipeline.json" },
  });
}
