import { DwError } from "../../errors/DwError.js";

/** 1-based line and column of a 1-based character position in `text`. */
export function lineColumn(text: string, position: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, position - 1));
  const lines = before.split("\n");
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}

/**
 * A DuckDB error as SQL_ERROR: its message ("Binder Error: …"), the query, and the line and column
 * DuckDB's caret points at, when it gives one. Callers prepare the user's query on its own first,
 * so the caret refers to the text the user wrote.
 */
export function duckdbSqlError(e: unknown, query: string): DwError {
  const full = e instanceof Error ? e.message : String(e);
  const details: Record<string, unknown> = { query, engine: "duckdb" };
  // DuckDB appends "LINE n: <source line>" and a caret line; both are redundant once we give line/column.
  const m = /\n\nLINE (\d+): (.*)\n( *)\^/.exec(full);
  const message = full.replace(/\n\nLINE \d+:[\s\S]*$/, "").trim();
  if (m) {
    const prefix = `LINE ${m[1]}: `.length;
    Object.assign(details, { line: Number(m[1]), column: m[3].length - prefix + 1 });
  }
  return new DwError("SQL_ERROR", `DuckDB rejected the query: ${message}`, {
    hint: hintFor(message, "duckdb"),
    details,
  });
}

interface PgErrorLike {
  message: string;
  code?: string;
  position?: string;
  hint?: string;
  detail?: string;
}

function isPgError(e: unknown): e is PgErrorLike {
  return e instanceof Error && typeof (e as { code?: unknown }).code === "string";
}

/** A PostgreSQL error as SQL_ERROR, with SQLSTATE, and line/column from its character position (minus `offset`). */
export function postgresSqlError(e: unknown, query: string, offset = 0): DwError {
  const message = e instanceof Error ? e.message : String(e);
  const details: Record<string, unknown> = { query, engine: "postgres" };
  let hint = hintFor(message, "postgres");
  if (isPgError(e)) {
    if (e.code) details.sqlstate = e.code;
    if (e.detail) details.detail = e.detail;
    if (e.hint) hint = `${e.hint} ${hint}`;
    const pos = Number(e.position);
    if (Number.isFinite(pos) && pos > offset) Object.assign(details, { position: pos - offset }, lineColumn(query, pos - offset));
  }
  return new DwError("SQL_ERROR", `PostgreSQL rejected the query: ${message}`, { hint, details });
}

function hintFor(message: string, engine: "duckdb" | "postgres"): string {
  if (/does not exist|not found/i.test(message)) {
    return engine === "duckdb"
      ? "Tables are the registered datasets (quote ids with '-' or '.': \"seattle-weather\") and files by path in quotes ('data/x.csv'). Check the names and fix the query."
      : "Check the table and column names in this database (schema-qualify them if needed) and fix the query.";
  }
  return "Fix the query and run it again; details.query holds the text that was sent.";
}

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: "nothing is listening there",
  ENOTFOUND: "the host name does not resolve",
  EAI_AGAIN: "the host name does not resolve (DNS lookup failed)",
  ETIMEDOUT: "the connection timed out",
  EHOSTUNREACH: "the host is unreachable",
  ENETUNREACH: "the network is unreachable",
  ECONNRESET: "the server closed the connection",
};

/** Why a connection attempt failed, as CONNECTION_ERROR with host:port and what to check; never the password. */
export function postgresConnectionError(e: unknown, target: { host: string; port: number; display: string; envVar?: string }): DwError {
  const where = `${target.host}:${target.port}`;
  const code = (e as { code?: unknown })?.code;
  const raw = e instanceof Error ? e.message : String(e);
  let reason = typeof code === "string" && NETWORK_CODES[code] ? NETWORK_CODES[code] : raw;
  let hint = `Check that PostgreSQL runs at ${where} and accepts connections from this machine (listen_addresses, pg_hba.conf, firewall).`;
  if (/timeout/i.test(raw)) reason = "no answer within the connection timeout";
  if (code === "28P01" || code === "28000") {
    reason = raw;
    hint = `Check the user name and password${target.envVar ? ` in ${target.envVar}` : ""}.`;
  } else if (code === "3D000") {
    reason = raw;
    hint = "Check the database name at the end of the URL.";
  }
  return new DwError("CONNECTION_ERROR", `Could not connect to PostgreSQL at ${where}: ${reason}.`, {
    hint,
    details: { host: target.host, port: target.port, connection: target.display, ...(typeof code === "string" ? { code } : {}) },
  });
}
