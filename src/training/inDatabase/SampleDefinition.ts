import { z } from "zod";

/**
 * How a training sample was drawn from a SQL source, as the run commit records it: enough to draw
 * the same rows again (readSample) and to say what they are a sample of. `sql` is the query that
 * ran, word for word; the rows are those with the smallest row hash (rowHashSql) for the seed,
 * in hash order, so the same engine version, data and seed give the same rows in the same order.
 */
export const SampleDefinition = z.strictObject({
  method: z.literal("row_hash_order").describe("ORDER BY the engine's hash of the row's values and the seed, LIMIT rows."),
  engine: z.enum(["duckdb", "postgres"]),
  engine_version: z.string().describe("SELECT version() where the sample was drawn: the hash function is the engine's."),
  connection: z.string().describe("The connection as given when it holds no password (a name, duckdb, duckdb:<path>), else the URL without it."),
  connection_redacted: z.boolean().describe("True when connection lost its password: readSample then needs the connection passed again."),
  source: z.union([z.strictObject({ table: z.string().min(1) }), z.strictObject({ query: z.string().min(1) })]),
  seed: z.number().int().min(0),
  rows: z.number().int().positive().describe("The sample size asked for."),
  population_rows: z.number().int().min(0).describe("Rows in the source when the sample was drawn."),
  sampled_rows: z.number().int().min(0).describe("Rows in the sample: the smaller of rows and population_rows."),
  sql: z.string().min(1),
});
export type SampleDefinition = z.infer<typeof SampleDefinition>;
