import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance, StatementType, type DuckDBConnection, type DuckDBPreparedStatement } from "@duckdb/node-api";
import type pg from "pg";
import type { DomainContext } from "../../workspace/DomainContext.js";
import { DwError, isDwError } from "../../errors/DwError.js";
import { duckdbParquetCast, postgresDuckType } from "./columnKinds.js";
import { capMemory, openDuckDb } from "./duckdbSession.js";
import { connectPostgres } from "./postgresSession.js";
import { resolveConnection, type SqlConnection } from "./resolveConnection.js";
import { duckdbSqlError, postgresConnectionError, postgresSqlError } from "./sqlErrors.js";
import { quoteIdent, quoteLiteral, trimQuery } from "./sqlText.js";

export interface SqlDatasetFile {
  /** A temporary Parquet file holding the query's result; gone after cleanup(). */
  file: string;
  engine: "duckdb" | "postgres";
  /** Where the query ran, for records and messages: `duckdb`, or the URL without its password. */
  connection: string;
  cleanup(): Promise<void>;
}

/** Rows fetched from a PostgreSQL cursor per round trip. */
const FETCH_ROWS = 10_000;

/**
 * Runs a query and writes its result to a temporary Parquet file, with its column types (numbers,
 * booleans, dates, timestamps, text), for load_dataset to hash, cache and register like a file.
 * Without a connection the query runs in the embedded DuckDB over the project's files and datasets;
 * with one, in PostgreSQL, inside a read-only transaction, streamed through a cursor.
 *
 * @example
 * ```ts
 * const out = await loadSqlDataset(ctx, { query: "SELECT weather, count(*) AS n FROM 'data/seattle-weather.csv' GROUP BY 1" });
 * try { await cacheFile(ctx.workspace, out.file); } finally { await out.cleanup(); }
 * ```
 */
export async function loadSqlDataset(ctx: DomainContext, source: { query: string; connection?: string }): Promise<SqlDatasetFile> {
  const query = trimQuery(source.query);
  if (!query.trim()) {
    throw new DwError("INVALID_INPUT", "The query is empty.", { hint: "Write a SELECT, e.g. SELECT * FROM 'data/file.csv'.", details: { field: "query" } });
  }
  const target = resolveConnection(source.connection);
  const dir = await mkdtemp(join(tmpdir(), "dw-sql-"));
  const file = join(dir, "result.parquet");
  const cleanup = () => rm(dir, { recursive: true, force: true });
  try {
    if (target.engine === "duckdb") await duckdbToParquet(ctx, query, file, target.database);
    else await postgresToParquet(ctx, target, query, file, dir);
  } catch (e) {
    await cleanup();
    throw e;
  }
  return { file, engine: target.engine, connection: target.display, cleanup };
}

async function duckdbToParquet(ctx: DomainContext, query: string, file: string, database: string | undefined): Promise<void> {
  const s = await openDuckDb(ctx.workspace, ctx.cwd, query, database);
  const stop = () => s.conn.interrupt();
  ctx.signal?.addEventListener("abort", stop);
  try {
    const prepared = await prepareOne(s.conn, query);
    const names: string[] = [];
    const casts: string[] = [];
    for (let i = 0; i < prepared.columnCount; i++) {
      names.push(prepared.columnName(i));
      casts.push(`${duckdbParquetCast(prepared.columnTypeId(i), `q.${quoteIdent(prepared.columnName(i))}`)} AS ${quoteIdent(prepared.columnName(i))}`);
    }
    requireUniqueNames(names, query, "duckdb");
    // The newlines keep a trailing `-- comment` in the user's query from swallowing the closing parenthesis.
    const copy = `COPY (SELECT ${casts.join(", ")} FROM (\n${query}\n) AS q) TO ${quoteLiteral(file)} (FORMAT parquet, COMPRESSION snappy)`;
    await s.conn.run(copy).catch((e: unknown) => {
      throw ctx.signal?.aborted ? interrupted() : duckdbSqlError(e, query);
    });
  } finally {
    ctx.signal?.removeEventListener("abort", stop);
    s.close();
  }
}

/** Prepares exactly one statement that returns rows, so errors point into the user's own text. */
export async function prepareOne(conn: DuckDBConnection, query: string): Promise<DuckDBPreparedStatement> {
  let prepared: DuckDBPreparedStatement;
  try {
    const statements = await conn.extractStatements(query);
    if (statements.count !== 1) {
      throw new DwError("SQL_ERROR", `The query holds ${statements.count} statements; dw runs one query that returns rows.`, {
        hint: "Keep one SELECT; use a WITH clause or subqueries for the steps before it.",
        details: { query, engine: "duckdb" },
      });
    }
    prepared = await statements.prepare(0);
  } catch (e) {
    throw isDwError(e) ? e : duckdbSqlError(e, query);
  }
  if (prepared.statementType !== StatementType.SELECT) {
    throw new DwError("SQL_ERROR", "The query does not return rows: dw runs queries (SELECT, FROM, WITH …), not statements that change data.", {
      hint: "Write a SELECT; create tables or files outside dw.",
      details: { query, engine: "duckdb" },
    });
  }
  return prepared;
}

async function postgresToParquet(ctx: DomainContext, target: SqlConnection & { engine: "postgres" }, query: string, file: string, dir: string): Promise<void> {
  const client = await connectPostgres(target);
  const instance = await DuckDBInstance.create(":memory:", { autoinstall_known_extensions: "false", temp_directory: join(dir, "spill") });
  const duck = await instance.connect();
  const declare = "DECLARE dw_result NO SCROLL CURSOR FOR\n";
  try {
    // This DuckDB only buffers the rows on their way to Parquet: bounded as every session dw opens is.
    await capMemory(duck);
    // Read-only: a query that would write is refused by the server itself, not by guessing at its text.
    await client.query("BEGIN READ ONLY");
    await client.query(`${declare}${query}\n`);
    let fields: pg.FieldDef[] | undefined;
    let appender: Awaited<ReturnType<DuckDBConnection["createAppender"]>> | undefined;
    for (;;) {
      if (ctx.signal?.aborted) throw interrupted();
      const batch = await client.query<unknown[]>({ text: `FETCH FORWARD ${FETCH_ROWS} FROM dw_result`, rowMode: "array" });
      if (!fields) {
        fields = batch.fields;
        requireUniqueNames(
          fields.map((f) => f.name),
          query,
          "postgres",
        );
        // Text first, typed in one cast afterwards: PostgreSQL's text forms are what DuckDB's casts read.
        await duck.run(`CREATE TABLE staged (${fields.map((_, i) => `c${i} VARCHAR`).join(", ") || "c0 VARCHAR"})`);
        appender = await duck.createAppender("staged");
      }
      for (const row of batch.rows) {
        for (const v of row) {
          if (v === null) appender!.appendNull();
          else appender!.appendVarchar(String(v));
        }
        appender!.endRow();
      }
      if (batch.rows.length < FETCH_ROWS) break;
    }
    appender?.closeSync();
    await client.query("COMMIT");
    const select = fields!.map((f, i) => `CAST(c${i} AS ${postgresDuckType(f.dataTypeID)}) AS ${quoteIdent(f.name)}`).join(", ");
    await duck.run(`COPY (SELECT ${select} FROM staged) TO ${quoteLiteral(file)} (FORMAT parquet, COMPRESSION snappy)`).catch((e: unknown) => {
      throw new DwError("DATA_ERROR", `A value PostgreSQL returned could not be converted: ${e instanceof Error ? e.message : String(e)}`, {
        hint: "Cast that column to text in the query (col::text) to load it as text.",
        details: { query, engine: "postgres" },
      });
    });
  } catch (e) {
    if (isDwError(e)) throw e;
    const code = (e as { code?: unknown }).code;
    // SQLSTATE class 08 and a socket error mean the server went away, not that the query is wrong.
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) && !code.startsWith("08")) throw postgresSqlError(e, query, declare.length);
    throw postgresConnectionError(e, target);
  } finally {
    duck.closeSync();
    instance.closeSync();
    await client.end().catch(() => undefined);
  }
}

function requireUniqueNames(names: string[], query: string, engine: "duckdb" | "postgres"): void {
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n)) {
      throw new DwError("SQL_ERROR", `The query returns two columns named '${n}'; a dataset needs one name per column.`, {
        hint: `Give one of them another name: … AS ${quoteIdent(`${n}_2`)}.`,
        details: { query, engine, column: n },
      });
    }
    seen.add(n);
  }
}

function interrupted(): DwError {
  return new DwError("INTERRUPTED", "The query was interrupted; nothing was written.");
}
