import type { DomainContext } from "../workspace/DomainContext.js";
import { commitMessage } from "../workspace/commitMessage.js";
import { documentText } from "../workspace/documentText.js";
import { readDataset } from "../data/readDataset.js";
import { schemaOf } from "../data/Dataset.js";
import { stableJson } from "../workspace/stableJson.js";
import { checkPipelineName, featurePipelineRef, type FeaturePipelineRecord, type FeaturePipelineStep } from "./FeaturePipeline.js";
import { checkPipelineDefinition } from "./checkPipelineDefinition.js";
import { readPipelineRecord } from "./readFeaturePipeline.js";

/**
 * Saves a feature pipeline's definition, checked against its dataset, as a commit under
 * refs/dw/pipelines/<name> holding pipeline.json. A changed definition (features, steps or the
 * dataset's content) is a new version whose commit's parent is the previous one; an unchanged one
 * returns the latest version (`created: false`). A failure writes nothing.
 *
 * @example
 * ```ts
 * const { pipeline } = await saveFeaturePipeline(ctx, { name: "weather-basic", datasetId: "weather", features: ["wind"], steps: [] });
 * pipeline.version; // 1
 * ```
 */
export async function saveFeaturePipeline(
  ctx: DomainContext,
  args: { name: string; datasetId: string; features: string[]; steps: FeaturePipelineStep[] },
): Promise<{ pipeline: FeaturePipelineRecord; commit: string; created: boolean }> {
  checkPipelineName(args.name);
  const ws = ctx.workspace;
  const { record, ds } = await readDataset(ws, args.datasetId);
  checkPipelineDefinition(ds, record.dataset_id, args.features, args.steps);
  const ref = featurePipelineRef(args.name);
  const now = ctx.now();
  return ws.withLock(async () => {
    const head = await ws.readRef(ref);
    const previous = head ? await readPipelineRecord(ws, head, args.name) : null;
    const definition = (p: { features: string[]; steps: unknown; sha256: string }) => stableJson({ features: p.features, steps: p.steps, sha256: p.sha256 });
    if (head && previous && definition({ ...previous, sha256: previous.dataset.sha256 }) === definition({ ...args, sha256: record.sha256 })) {
      return { pipeline: previous, commit: head, created: false };
    }
    const pipeline: FeaturePipelineRecord = {
      format: "dw.feature_pipeline/1",
      name: args.name,
      version: (previous?.version ?? 0) + 1,
      features: args.features,
      steps: args.steps,
      dataset: { dataset_id: record.dataset_id, source: record.source, sha256: record.sha256, rows: record.rows, columns: schemaOf(ds) },
      created_at: now.toISOString(),
    };
    const message = commitMessage(
      `dw pipeline ${args.name}: version ${pipeline.version}`,
      [
        `features: ${args.features.join(", ")}`,
        `steps: ${args.steps.length ? args.steps.map((s) => `${s.transform}(${s.column})`).join(", ") : "(defaults)"}`,
        `data: ${record.source} (${record.dataset_id}) sha256:${record.sha256.slice(0, 12)}`,
      ],
      { "Dw-Pipeline": args.name },
    );
    const commit = await ws.commit({ ref, message, files: { "pipeline.json": documentText(pipeline) }, parents: head ? [head] : [], now });
    return { pipeline, commit, created: true };
  });
}
