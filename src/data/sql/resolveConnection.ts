import { DwError } from "../../errors/DwError.js";

/** Where a query runs: the embedded DuckDB over the project's files, or a PostgreSQL server. */
export type SqlConnection =
  | {
      engine: "duckdb";
      display: string;
      /** A DuckDB database file (`duckdb:<path>`), attached read-only: its tables are queried where they are stored. */
      database?: string;
    }
  | {
      engine: "postgres";
      /** The full URL, password included: handed to `pg` only, never stored or printed. */
      url: string;
      /** The URL without its password, safe to store in a dataset record or show. */
      display: string;
      host: string;
      port: number;
      /** The environment variable the URL came from, when it was given by name. */
      envVar?: string;
    };

const POSTGRES_URL = /^postgres(ql)?:\/\//i;
/** `duckdb:<path>`: a DuckDB database file, relative to the notebook's folder or absolute. */
const DUCKDB_FILE = /^duckdb:(?!\/\/)(.+)$/i;
const NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;

/** `DW_CONNECTION_<NAME>`: the environment variable a connection name reads. */
export function connectionEnvVar(name: string): string {
  return `DW_CONNECTION_${name.toUpperCase().replace(/-/g, "_")}`;
}

/**
 * Turns a tool's `connection` field into an engine. Nothing (or `duckdb`) is the embedded DuckDB;
 * a `postgres://` URL is used as given; any other word is a name looked up in the environment as
 * `DW_CONNECTION_<NAME>` (so passwords live in the environment, not in notebooks), and the name
 * `default` falls back to `DATABASE_URL`, the variable most hosting platforms set. `duckdb:<path>`
 * names a DuckDB database file, whose tables are then read where they are stored (read-only).
 */
export function resolveConnection(connection: string | undefined, env: NodeJS.ProcessEnv = process.env): SqlConnection {
  const given = connection?.trim();
  if (!given || given.toLowerCase() === "duckdb") return { engine: "duckdb", display: "duckdb" };
  if (POSTGRES_URL.test(given)) return postgres(given);
  const file = DUCKDB_FILE.exec(given);
  if (file) return { engine: "duckdb", display: `duckdb:${file[1]}`, database: file[1] };
  if (!NAME.test(given)) {
    throw new DwError("INVALID_INPUT", `connection '${redactUrl(given)}' is neither a postgres:// URL nor a connection name.`, {
      hint: "Pass postgres://user@host:5432/db, or a name such as 'warehouse' and set DW_CONNECTION_WAREHOUSE to the URL. Leave it out for the embedded DuckDB.",
      details: { field: "connection" },
    });
  }
  const envVar = connectionEnvVar(given);
  let value = env[envVar]?.trim();
  let from = envVar;
  if (!value && given.toLowerCase() === "default" && env.DATABASE_URL?.trim()) {
    value = env.DATABASE_URL.trim();
    from = "DATABASE_URL";
  }
  if (!value) {
    throw new DwError("CONFIG_ERROR", `No connection named '${given}': the environment variable ${envVar} is not set.`, {
      hint: `Set ${envVar}=postgres://user:password@host:5432/database in the environment dw runs in (the kernel, dw serve, the CLI)${given.toLowerCase() === "default" ? ", or DATABASE_URL" : ""}.`,
      details: { field: "connection", env: envVar },
    });
  }
  if (value.toLowerCase() === "duckdb") return { engine: "duckdb", display: `${given} (duckdb)` };
  const named = DUCKDB_FILE.exec(value);
  if (named) return { engine: "duckdb", display: `${given} (duckdb:${named[1]})`, database: named[1] };
  if (!POSTGRES_URL.test(value)) {
    throw new DwError("CONFIG_ERROR", `${from} holds '${redactUrl(value)}', which is not a postgres:// URL.`, {
      hint: `Set ${from}=postgres://user:password@host:5432/database, to 'duckdb' for the embedded engine, or to duckdb:<path> for a DuckDB database file.`,
      details: { field: "connection", env: from },
    });
  }
  const pg = postgres(value);
  return { ...pg, display: `${given} (${pg.display})`, envVar: from };
}

function postgres(url: string): SqlConnection & { engine: "postgres" } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DwError("INVALID_INPUT", `'${redactUrl(url)}' is not a valid URL.`, {
      hint: "Write it as postgres://user:password@host:5432/database (percent-encode special characters in the password).",
      details: { field: "connection" },
    });
  }
  const host = decodeURIComponent(parsed.hostname || parsed.searchParams.get("host") || "localhost");
  const port = Number(parsed.port || parsed.searchParams.get("port") || 5432);
  return { engine: "postgres", url, display: redactUrl(url), host, port };
}

/** The URL with any password (in the user-info part or a `password=` parameter) removed. */
export function redactUrl(url: string): string {
  let out = url;
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(out);
  if (scheme) {
    // As WHATWG URL parsing does: the authority ends at the first '/', '?' or '#', and the user
    // info at the last '@' inside it, so an unencoded '@' in a password is still removed.
    const rest = out.slice(scheme[0].length);
    const end = rest.search(/[/?#]/);
    let authority = end < 0 ? rest : rest.slice(0, end);
    // An unencoded '/', '?' or '#' in the password: better to hide too much than to show it.
    if (!authority.includes("@") && rest.includes("@")) authority = rest.slice(0, rest.lastIndexOf("@") + 1);
    const at = authority.lastIndexOf("@");
    const colon = authority.indexOf(":");
    if (at >= 0 && colon >= 0 && colon < at) out = scheme[0] + authority.slice(0, colon) + authority.slice(at) + rest.slice(authority.length);
  }
  return out.replace(/([?&](?:ssl)?password=)[^&#]*/gi, "$1***");
}
