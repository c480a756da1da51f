import { z } from "zod";
import { defineTool } from "./defineTool.js";
import { DwError } from "../errors/DwError.js";
import { DATASET_ID } from "../workspace/refNames.js";
import { traceDataLineage } from "../lineage/traceDataLineage.js";

export const GetLineageInput = z.strictObject({
  dataset_id: z
    .string()
    .regex(DATASET_ID, "a dataset id as load_dataset registered it")
    .optional()
    .describe("The dataset whose versions to trace: its current content and every version a run used under this id."),
  sha256: z
    .string()
    .regex(/^[0-9a-f]{8,64}$/, "8 to 64 lowercase hex digits")
    .optional()
    .describe("A content hash (or a prefix of at least 8 hex digits) to trace, whatever dataset id it was loaded under."),
});
export type GetLineageInput = z.infer<typeof GetLineageInput>;

const ModelUse = z.object({
  model_name: z.string(),
  version: z.number().int(),
  commit: z.string().describe("The registration commit."),
  aliases: z.array(z.string()),
  registered_at: z.string(),
});

const RunUse = z.object({
  run_id: z.string(),
  commit: z.string().describe("The run commit (refs/dw/runs/<run_id>)."),
  created_at: z.string(),
  tool: z.string(),
  algorithm: z.string(),
  target: z.string(),
  dataset_id: z.string().describe("The id the data had when the run read it."),
  rows_used: z.number().int(),
  models: z.array(ModelUse).describe("Registered model versions made from this run."),
});

export const DataVersion = z.object({
  sha256: z.string().describe("The content hash of this version of the data."),
  datasets: z.array(z.string()).describe("Dataset ids whose current content is this version (empty when it has since been reloaded with other content)."),
  runs: z.array(RunUse).describe("Runs that used this version, oldest first."),
});

export const GetLineageOutput = z.object({
  dataset_id: z.string().optional(),
  sha256: z.string().optional(),
  versions: z.array(DataVersion).describe("Each version of the data by content hash; the dataset's current one first."),
  runs: z.number().int().describe("Runs in all versions."),
  models: z.number().int().describe("Registered model versions in all versions."),
});
export type GetLineageOutput = z.infer<typeof GetLineageOutput>;

/**
 * Which runs used which version (content hash) of a dataset, and which registered model versions
 * came from those runs. Read from the run commits (run.json's data) and the model registry.
 *
 * @example
 * ```ts
 * const lin = await dw.getLineage({ dataset_id: "seattle-weather" });
 * lin.versions[0].runs[0].models[0]; // { model_name: "temp", version: 1, … }
 * ```
 */
export const getLineage = defineTool({
  name: "get_lineage",
  annotations: { effect: "reads" },
  description:
    "Lineage of a dataset (by id) or of a content hash: which runs used which version of the data, and which registered model versions came from them.",
  input: GetLineageInput,
  output: GetLineageOutput,
  magic: { positional: "dataset_id", aliases: { data: "dataset_id" } },
  async run(input, ctx) {
    if ((input.dataset_id === undefined) === (input.sha256 === undefined)) {
      throw new DwError("INVALID_INPUT", "get_lineage takes one of dataset_id or sha256.", {
        hint: "Pass the dataset's id, or a content hash from get_table_schema or a run.",
        details: { field: "dataset_id" },
      });
    }
    const of = input.dataset_id !== undefined ? { datasetId: input.dataset_id } : { sha256: input.sha256 ?? "" };
    const lineage = await traceDataLineage(ctx.workspace, of);
    return {
      ...(input.dataset_id !== undefined ? { dataset_id: input.dataset_id } : { sha256: lineage.versions[0].sha256 }),
      ...lineage,
    };
  },
});
