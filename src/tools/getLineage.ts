import { z } from "zod";
import { defineTool } from "./defineTool.js";
import { DwError } from "../errors/DwError.js";
import { DATASET_ID } from "../data/datasetRecords.js";
import { listDataRuns, modelsByRun, readAllDatasetRecords, type RunUse as LineageRunUse } from "../lineage/datasetLineage.js";

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
    const ws = ctx.workspace;
    const records = await readAllDatasetRecords(ws);
    const runs = await listDataRuns(ws);
    let chosen: LineageRunUse[];
    const shas: string[] = [];
    if (input.dataset_id !== undefined) {
      const id = input.dataset_id;
      const record = records.find((r) => r.dataset_id === id);
      chosen = runs.filter((r) => r.dataset_id === id);
      if (!record && chosen.length === 0) {
        throw new DwError("NOT_FOUND", `No dataset '${id}' in this workspace, and no run used one by that id.`, {
          hint: records.length ? `Known datasets: ${records.map((r) => r.dataset_id).join(", ")}.` : "Load one first with load_dataset.",
          details: { field: "dataset_id", dataset_id: id },
        });
      }
      if (record) shas.push(record.sha256);
    } else {
      const prefix = input.sha256!;
      const matches = new Set([...records.map((r) => r.sha256), ...runs.map((r) => r.sha256)].filter((s) => s.startsWith(prefix)));
      if (matches.size > 1) {
        throw new DwError("INVALID_INPUT", `The hash prefix '${prefix}' matches ${matches.size} versions of data.`, {
          hint: "Give more digits of the hash.",
          details: { field: "sha256", matches: [...matches] },
        });
      }
      if (matches.size === 0) {
        throw new DwError("NOT_FOUND", `No dataset or run in this workspace has data with hash '${prefix}'.`, {
          hint: "Copy the hash from get_table_schema or a run's run.json.",
          details: { field: "sha256" },
        });
      }
      const sha = [...matches][0];
      shas.push(sha);
      chosen = runs.filter((r) => r.sha256 === sha);
    }
    for (const r of chosen) if (!shas.includes(r.sha256)) shas.push(r.sha256);
    const models = await modelsByRun(ws);
    let modelCount = 0;
    const versions = shas.map((sha) => ({
      sha256: sha,
      datasets: records.filter((r) => r.sha256 === sha).map((r) => r.dataset_id),
      runs: chosen
        .filter((r) => r.sha256 === sha)
        .map((r) => {
          const made = (models.get(r.run_id) ?? []).map(({ model_name, version, commit, aliases, registered_at }) => ({
            model_name,
            version,
            commit,
            aliases,
            registered_at,
          }));
          modelCount += made.length;
          return {
            run_id: r.run_id,
            commit: r.commit,
            created_at: r.created_at,
            tool: r.tool,
            algorithm: r.algorithm,
            target: r.target,
            dataset_id: r.dataset_id,
            rows_used: r.rows_used,
            models: made,
          };
        }),
    }));
    return {
      ...(input.dataset_id !== undefined ? { dataset_id: input.dataset_id } : { sha256: shas[0] }),
      versions,
      runs: chosen.length,
      models: modelCount,
    };
  },
});
