import pg from "pg";
import type { SqlConnection } from "./resolveConnection.js";
import { postgresConnectionError } from "./sqlErrors.js";

/** How long to wait for a server before calling it unreachable: long enough for a remote warehouse, short enough for a notebook. */
export const CONNECT_TIMEOUT_MS = 5000;

/**
 * A connected `pg` client that returns every value as PostgreSQL's own text, so numbers beyond
 * 2^53, numerics, dates and timestamps are converted once, deliberately, by the caller (never by
 * pg's defaults, which turn dates into local-time JavaScript Dates). The session runs in UTC with
 * ISO dates, so timestamps read the same on every machine.
 */
export async function connectPostgres(target: SqlConnection & { engine: "postgres" }): Promise<pg.Client> {
  const client = new pg.Client({
    connectionString: target.url,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    application_name: "dw",
    types: { getTypeParser: () => (value: string) => value },
  });
  // An idle client whose server goes away emits 'error'; without a listener that would end the kernel.
  client.on("error", () => undefined);
  try {
    await client.connect();
    await client.query("SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET extra_float_digits = 1");
  } catch (e) {
    await client.end().catch(() => undefined);
    throw postgresConnectionError(e, target);
  }
  return client;
}
