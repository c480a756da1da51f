import { MagicError } from "../../src/adapters/MagicError.js";
import type { ParsedMagic } from "./parseMagicLine.js";

/** The name after `%%dw` that makes the cell body a SQL query rather than a tool's YAML/JSON input. */
export const SQL_MAGIC = "sql";

/** `%%dw sql` flags and the load_dataset field each one sets. */
const FLAGS: Record<string, string> = { connection: "connection", dataset_id: "dataset_id", "dataset-id": "dataset_id", id: "dataset_id" };

export const SQL_HELP = `%%dw sql [--connection NAME|URL] [--dataset_id ID] [--as VAR]
<query>

Runs the cell's query and loads its result as a dataset (load_dataset with query), so it is typed,
hashed, cached and registered like a file; --as stores the result in a kernel variable.

Without --connection the query runs in the embedded DuckDB: project files by path relative to the
notebook ('data/x.csv', 'data/*.parquet'), and every loaded dataset as a view named after its id
(quote ids with '-' or '.': "seattle-weather"). --connection takes a postgres:// URL or a name read
from the environment variable DW_CONNECTION_<NAME> (the name 'default' also reads DATABASE_URL).

  %%dw sql --as rainy
  SELECT date, precipitation FROM 'data/seattle-weather.csv' WHERE weather = 'rain'

See docs/sql.md.`;

/** Static checks before the cell runs: only the flags above, no bare words. */
export function checkSqlMagic(parsed: ParsedMagic): void {
  if (parsed.positionals.length) {
    throw new MagicError(
      `%%dw sql takes the query in the cell body, not '${parsed.positionals[0].text}' on the first line. Usage: %%dw sql [--connection NAME] [--dataset_id ID] [--as VAR]`,
    );
  }
  const seen = new Set<string>();
  for (const f of parsed.flags) {
    if (f.name === "help") continue;
    const field = FLAGS[f.name];
    if (!field) throw new MagicError(`%%dw sql has no flag --${f.name}. Flags: --connection, --dataset_id, --as.`);
    if (f.value === null || f.value.text === "")
      throw new MagicError(`--${f.name} needs a value, e.g. --${f.name} ${field === "connection" ? "warehouse" : "rainy_days"}`);
    if (seen.has(field)) throw new MagicError(`--${f.name} is given twice.`);
    seen.add(field);
  }
}

/**
 * The load_dataset input for a `%%dw sql` cell: the body is the query, word for word (SQL is not
 * YAML, and its line numbers must match the cell's for error positions to point at the right place).
 */
export function sqlCellInput(parsed: ParsedMagic, body: string): Record<string, unknown> {
  checkSqlMagic(parsed);
  if (!body.replace(/--[^\n]*/g, "").trim()) {
    throw new MagicError("The %%dw sql cell has no query: write it on the lines below %%dw sql, e.g. SELECT * FROM 'data/file.csv'.");
  }
  const input: Record<string, unknown> = { query: body };
  for (const f of parsed.flags) {
    if (f.name !== "help" && f.value) input[FLAGS[f.name]] = f.value.text;
  }
  return input;
}
