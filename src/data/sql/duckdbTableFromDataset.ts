import type { DuckDBConnection } from "@duckdb/node-api";
import type { Dataset } from "../Dataset.js";
import { quoteIdent } from "./sqlText.js";

/**
 * Copies a dataset into a table of the session's in-memory DuckDB: numbers as DOUBLE (NaN as
 * NULL), booleans as BOOLEAN, text as VARCHAR. Dates stay VARCHAR (ISO text, as dw keeps them),
 * because kernel values carry dates with an offset or without one, and no single DuckDB type
 * keeps both as written; `CAST(col AS TIMESTAMP)` in the query converts them.
 *
 * This is how datasets cached as Arrow IPC (kernel values) become tables: DuckDB reads Arrow only
 * through an extension that would have to be downloaded.
 */
export async function duckdbTableFromDataset(conn: DuckDBConnection, table: string, ds: Dataset): Promise<void> {
  const sqlType = { number: "DOUBLE", boolean: "BOOLEAN", date: "VARCHAR", string: "VARCHAR" } as const;
  await conn.run(`CREATE TABLE ${quoteIdent(table)} (${ds.columns.map((c) => `${quoteIdent(c.name)} ${sqlType[c.type]}`).join(", ")})`);
  const appender = await conn.createAppender(table);
  try {
    const cols = ds.columns;
    for (let i = 0; i < ds.rows; i++) {
      for (const c of cols) {
        if (c.type === "number") {
          const v = c.values[i];
          if (v === v) appender.appendDouble(v);
          else appender.appendNull();
          continue;
        }
        const v = c.values[i];
        if (v === null) appender.appendNull();
        else if (c.type === "boolean") appender.appendBoolean(v === "true");
        else appender.appendVarchar(v);
      }
      appender.endRow();
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}
