import type pg from "pg";
import type { DomainContext } from "../../workspace/DomainContext.js";
import { DwError, isDwError } from "../../errors/DwError.js";
import { NUMBER_TEXT_SQL_PATTERN } from "../numberText.js";
import { duckdbKind, postgresKind, type SqlColumn } from "./columnKinds.js";
import { openDuckDb } from "./duckdbSession.js";
import { prepareOne } from "./loadSqlDataset.js";
import { connectPostgres } from "./postgresSession.js";
import { resolveConnection, type SqlConnection } from "./resolveConnection.js";
import { duckdbSqlError, postgresConnectionError, postgresSqlError } from "./sqlErrors.js";
import { quoteIdent, quoteLiteral, trimQuery } from "./sqlText.js";

/** A value as a profile query returns it: numbers (bigints converted), text, booleans, or null. */
export type SqlValue = number | string | boolean | null;

/** One open database, with what differs between the engines kept here and nowhere else. */
export interface SqlEngine {
  engine: "duckdb" | "postgres";
  /** The relation to profile (a table, file, view or parenthesized query), usable after FROM. */
  relation: string;
  /**
   * The relation as the user named it, usable after FROM in any session on the same connection
   * (`relation` may be this session's copy of it): what a recorded query over the source says.
   */
  source: string;
  columns: SqlColumn[];
  /** Runs generated SQL; a failure is SQL_ERROR with that SQL. */
  all(sql: string): Promise<SqlValue[][]>;
  /** A boolean SQL expression: text `expr` is a plain number (the same pattern dw's CSV reader uses). */
  isNumberText(expr: string): string;
  close(): Promise<void>;
}

/** What to profile: a table (or, in DuckDB, a file path or a dataset id), or a query. */
export interface SqlSource {
  table?: string;
  query?: string;
  connection?: string;
}

/**
 * Opens the source's database. DuckDB copies a file or view source into a temporary table first,
 * unless `readInPlace` (a caller that reads it once, or a source far larger than memory).
 */
export async function openSqlEngine(ctx: DomainContext, source: SqlSource, options: { readInPlace?: boolean } = {}): Promise<SqlEngine> {
  if ((source.table === undefined) === (source.query === undefined)) {
    throw new DwError("INVALID_INPUT", "Give either a table or a query to profile, not both and not neither.", {
      details: { field: source.table ? "query" : "table" },
    });
  }
  const target = resolveConnection(source.connection);
  return target.engine === "duckdb" ? openDuck(ctx, source, target.database, options.readInPlace === true) : openPostgres(target, source);
}

const FILE_LIKE = /[/\\]|\.(csv|tsv|txt|parquet|json|ndjson|jsonl)$/i;

async function openDuck(ctx: DomainContext, source: SqlSource, database: string | undefined, readInPlace: boolean): Promise<SqlEngine> {
  const text = source.query !== undefined ? trimQuery(source.query) : source.table!;
  const s = await openDuckDb(ctx.workspace, ctx.cwd, text, database);
  try {
    let relation: string;
    let userText: string;
    if (source.query !== undefined) {
      relation = `(\n${text}\n) AS src`;
      userText = text;
    } else {
      const t = source.table!;
      relation = s.views.includes(t) ? quoteIdent(t) : FILE_LIKE.test(t) ? quoteLiteral(t) : t.split(".").map(quoteIdent).join(".");
      userText = `SELECT * FROM ${relation}`;
    }
    const prepared = await prepareOne(s.conn, source.query !== undefined ? text : userText);
    const columns: SqlColumn[] = [];
    for (let i = 0; i < prepared.columnCount; i++) columns.push({ name: prepared.columnName(i), kind: duckdbKind(prepared.columnTypeId(i)) });
    // Files and views would be parsed again by every profile query (CSV sniffing included): read
    // them once into DuckDB's own columnar storage, which stays inside the database process. A
    // database file's tables are that storage already, and may be far larger than memory: read in place.
    const copy = database === undefined && !readInPlace;
    if (copy) {
      await s.conn.run(`CREATE TEMP TABLE dw_profiled AS SELECT * FROM ${relation}`).catch((e: unknown) => {
        throw duckdbSqlError(e, userText);
      });
    }
    return {
      engine: "duckdb",
      relation: copy ? "dw_profiled" : relation,
      source: relation,
      columns,
      async all(sql) {
        try {
          const reader = await s.conn.runAndReadAll(sql);
          return reader.getRowsJS().map((row) => row.map(toValue));
        } catch (e) {
          throw duckdbSqlError(e, sql);
        }
      },
      isNumberText: (expr) => `regexp_full_match(${expr}, ${quoteLiteral(NUMBER_TEXT_SQL_PATTERN)})`,
      close: async () => s.close(),
    };
  } catch (e) {
    s.close();
    throw e;
  }
}

async function openPostgres(target: SqlConnection & { engine: "postgres" }, source: SqlSource): Promise<SqlEngine> {
  const client = await connectPostgres(target);
  try {
    let relation: string;
    let userText: string;
    if (source.query !== undefined) {
      userText = trimQuery(source.query);
      relation = `(\n${userText}\n) AS src`;
    } else {
      relation = source.table!.split(".").map(quoteIdent).join(".");
      userText = `SELECT * FROM ${relation}`;
    }
    const prefix = "SELECT * FROM (\n";
    const probe = source.query !== undefined ? `${prefix}${userText}\n) AS src LIMIT 0` : `${userText} LIMIT 0`;
    const fields = await run(client, probe, target, userText, source.query !== undefined ? prefix.length : 0).then((r) => r.fields);
    // Profiles only read: the server refuses anything else for the rest of this session.
    await client.query("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY");
    const columns = fields.map((f) => ({ name: f.name, kind: postgresKind(f.dataTypeID) }));
    return {
      engine: "postgres",
      relation,
      source: relation,
      columns,
      all: async (sql) => (await run(client, sql, target, sql, 0)).rows.map((row) => row.map(toValue)),
      isNumberText: (expr) => `(${expr} ~ ${quoteLiteral(NUMBER_TEXT_SQL_PATTERN)})`,
      close: () => client.end().catch(() => undefined),
    };
  } catch (e) {
    await client.end().catch(() => undefined);
    throw e;
  }
}

async function run(
  client: pg.Client,
  sql: string,
  target: SqlConnection & { engine: "postgres" },
  shown: string,
  offset: number,
): Promise<pg.QueryResult<SqlValue[]>> {
  try {
    return await client.query<SqlValue[]>({ text: sql, rowMode: "array" });
  } catch (e) {
    if (isDwError(e)) throw e;
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) && !code.startsWith("08")) throw postgresSqlError(e, shown, offset);
    throw postgresConnectionError(e, target);
  }
}

function toValue(v: unknown): SqlValue {
  if (v === null || v === undefined) return null;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "number" || typeof v === "string" || typeof v === "boolean") return v;
  return String(v);
}
