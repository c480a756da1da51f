import { stat } from "node:fs/promises";
import { z } from "zod";
import { defineTool } from "./defineTool.js";
import { DatasetRecord, readDatasetRecord } from "../data/datasetRecords.js";
import { cachePath } from "../data/dataCache.js";

export const GetTableSchemaInput = z.strictObject({
  dataset_id: z.string().min(1).describe("The dataset to describe, as load_dataset registered it."),
});
export type GetTableSchemaInput = z.infer<typeof GetTableSchemaInput>;

export const SchemaColumn = z.object({
  name: z.string(),
  type: z.enum(["number", "boolean", "date", "string"]),
  nulls: z.number().int(),
  null_rate: z.number().describe("nulls ÷ rows."),
});

export const GetTableSchemaOutput = DatasetRecord.omit({ columns: true }).extend({
  columns: z.array(SchemaColumn),
  cached: z.boolean().describe("Whether the content-addressed copy is still under .dw/cache (false: load the data again)."),
});
export type GetTableSchemaOutput = z.infer<typeof GetTableSchemaOutput>;

/**
 * A dataset's schema and provenance from its record, without reading the data: columns with
 * types and nulls, rows, format, source, content hash, load time, tags, and for a SQL-sourced
 * dataset the query, engine and connection.
 *
 * @example
 * ```ts
 * const s = await dw.getTableSchema({ dataset_id: "seattle-weather" });
 * s.columns.map((c) => `${c.name}: ${c.type}`); // ["date: date", "precipitation: number", …]
 * ```
 */
export const getTableSchema = defineTool({
  name: "get_table_schema",
  annotations: { effect: "reads", openWorld: true },
  description: "A dataset's schema and provenance: columns (type, nulls), rows, format, source, sha256, loaded_at, tags, and the query for SQL-sourced data.",
  input: GetTableSchemaInput,
  output: GetTableSchemaOutput,
  magic: { positional: "dataset_id", aliases: { data: "dataset_id" } },
  async run(input, ctx) {
    const rec = await readDatasetRecord(ctx.workspace, input.dataset_id);
    const cached = await stat(cachePath(ctx.workspace, rec.sha256)).then(
      () => true,
      () => false,
    );
    return { ...rec, columns: rec.columns.map((c) => ({ ...c, null_rate: rec.rows ? c.nulls / rec.rows : 0 })), cached };
  },
});
