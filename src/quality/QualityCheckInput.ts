import { z } from "zod";
import { DATASET_ID } from "../workspace/refNames.js";
import { DwError } from "../errors/DwError.js";
import type { QualityGateArgs } from "./runQualityGate.js";

/** The input run_quality_check and get_quality_score share: which data, and what training would use. */
export const QualityCheckInput = z.strictObject({
  dataset_id: z
    .string()
    .regex(DATASET_ID, "letters, digits, '.', '_' and '-', starting with a letter or digit")
    .optional()
    .describe("A dataset registered by load_dataset. With table or query, the name whose last training snapshot to compare with (default: the table's name)."),
  table: z
    .string()
    .min(1)
    .optional()
    .describe("A SQL table to check inside its database (DuckDB by default, PostgreSQL with connection); only aggregates leave the database."),
  query: z.string().min(1).optional().describe("A SQL query whose result to check inside the database, as with table."),
  connection: z
    .string()
    .min(1)
    .optional()
    .describe("With table or query: a PostgreSQL URL or a configured connection's name; the embedded DuckDB when absent."),
  target: z.string().min(1).optional().describe("The column a model would predict: adds target leakage and class balance checks."),
  features: z
    .array(z.string().min(1))
    .min(1)
    .optional()
    .describe("The columns a model would use; defaults to every column but the target. ID-like columns named here fail, implicit ones warn."),
});
export type QualityCheckInput = z.infer<typeof QualityCheckInput>;

/** The gate's arguments for a tool input: exactly one of a dataset or a SQL table/query. */
export function gateArgs(input: QualityCheckInput): QualityGateArgs {
  const sql = input.table !== undefined || input.query !== undefined;
  if (input.table !== undefined && input.query !== undefined) {
    throw new DwError("INVALID_INPUT", "Give a table or a query, not both.", { details: { field: "query" } });
  }
  if (!sql && input.connection !== undefined) {
    throw new DwError("INVALID_INPUT", "connection is only used with table or query.", {
      hint: "Pass the table or query to check on that connection.",
      details: { field: "connection" },
    });
  }
  if (!sql && input.dataset_id === undefined) {
    throw new DwError("INVALID_INPUT", "Say which data to check: dataset_id (a loaded dataset), or table / query (SQL).", {
      hint: "e.g. %dw run_quality_check --data weather",
      details: { field: "dataset_id" },
    });
  }
  const datasetId = input.dataset_id ?? input.table ?? "query";
  const args: QualityGateArgs = { datasetId, target: input.target, features: input.features };
  if (sql) args.source = { table: input.table, query: input.query, connection: input.connection };
  return args;
}
