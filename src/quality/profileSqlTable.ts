import type { DomainContext } from "../workspace/DomainContext.js";
import type { ColumnProfile, LeakageStat, ProfileRequest, ReferenceColumn, TableProfile } from "./TableProfile.js";
import { DwError } from "../errors/DwError.js";
import type { SqlColumn } from "../data/sql/columnKinds.js";
import { openSqlEngine, type SqlEngine, type SqlSource, type SqlValue } from "../data/sql/sqlEngine.js";
import { quoteIdent, quoteLiteral } from "../data/sql/sqlText.js";

/**
 * Profiles a SQL table or query inside its database: every number in the profile is computed by
 * aggregate SQL (counts, distinct counts, min/max/mean/population std, top values by GROUP BY,
 * duplicate rows by grouping on every column, range and bin counts by CASE, correlation, η² and
 * purity for leakage), so what crosses the wire is a few rows per column, never the table.
 * Same semantics as the in-memory profile (src/quality/TableProfile.ts): NaN counts as missing,
 * distinct and top values are over non-missing values, ties in top values are broken by value.
 *
 * Past APPROXIMATE_FROM_ROWS rows in DuckDB, an exact distinct count of every column and a GROUP BY
 * on every column grow with the rows in memory and time (a 100M-row table was killed at 12 GB): the
 * distinct counts become DuckDB's approx_count_distinct (HyperLogLog, marked `distinctApproximate`)
 * and duplicate rows become rows − the exact count of distinct 64-bit row hashes (marked
 * `duplicateRowsBy: "row_hash"`), both in the one scan of the other aggregates. PostgreSQL has no
 * approximate distinct count built in: its profile stays exact at every size.
 *
 * @example
 * ```ts
 * const p = await profileSqlTable(ctx, { table: "public.orders", connection: "warehouse" }, { target: "churned" });
 * p.rows; p.duplicateRows; p.columns[0].nulls;
 * ```
 */
export async function profileSqlTable(
  ctx: DomainContext,
  source: SqlSource,
  request: ProfileRequest,
  options: { approximateFromRows?: number } = {},
): Promise<TableProfile> {
  const db = await openSqlEngine(ctx, source);
  try {
    return await profile(db, request, options.approximateFromRows ?? APPROXIMATE_FROM_ROWS);
  } finally {
    await db.close();
  }
}

/**
 * From this many rows on, a DuckDB profile estimates distinct counts and finds duplicate rows by row
 * hash. Below it every number is exact (tests pin them); 10M rows is where the exact counts of a
 * 21-column table start to take GBs (a 20M-row one: see docs/quality.md).
 */
export const APPROXIMATE_FROM_ROWS = 10_000_000;

interface Col extends SqlColumn {
  /** The column as written in SQL. */
  q: string;
  /** Its value, with NaN as missing for numbers. */
  v: string;
  /** Its value as text (for grouping, categories and top values). */
  t: string;
  ref?: ReferenceColumn;
}

const isText = (c: SqlColumn) => c.kind === "string" || c.kind === "boolean";
const isDate = (c: SqlColumn) => c.kind === "date" || c.kind === "timestamp" || c.kind === "timestamptz";

async function profile(db: SqlEngine, request: ProfileRequest, approximateFromRows: number): Promise<TableProfile> {
  const refs = new Map((request.reference ?? []).map((r) => [r.name, r]));
  const cols: Col[] = db.columns.map((c) => {
    const q = quoteIdent(c.name);
    const v = c.kind === "number" ? `NULLIF(CAST(${q} AS DOUBLE PRECISION), CAST('NaN' AS DOUBLE PRECISION))` : q;
    return { ...c, q, v, t: `CAST(${q} AS TEXT)`, ref: refs.get(c.name) };
  });
  const target = request.target === undefined ? undefined : cols.find((c) => c.name === request.target);
  if (request.target !== undefined && !target) {
    throw new DwError("INVALID_INPUT", `The target '${request.target}' is not a column of the table.`, {
      hint: `Columns: ${cols.map((c) => c.name).join(", ")}.`,
      details: { field: "target", column: request.target },
    });
  }

  // DuckDB counts a table's rows from its metadata; a query or file is scanned once more for it.
  const approximate = db.engine === "duckdb" && (num((await db.all(`SELECT COUNT(*) FROM ${db.relation}`))[0][0]) ?? 0) >= approximateFromRows;
  const distinctOf = (sql: string) => (approximate ? `approx_count_distinct(${sql})` : `COUNT(DISTINCT ${sql})`);

  // One scan computes every per-column aggregate; `at` remembers where each value lands.
  const items: string[] = ["COUNT(*)"];
  const at = (sql: string) => items.push(sql) - 1;
  // Past the size, duplicates are rows less distinct row hashes, counted in this same scan.
  const distinctRows = approximate && cols.length ? at(`COUNT(DISTINCT hash(${rowKeys(cols)}))`) : undefined;
  const plan = cols.map((c) => {
    const p: Record<string, number | number[]> = { count: at(`COUNT(${c.v})`), distinct: at(distinctOf(c.kind === "string" ? c.t : c.v)) };
    if (c.kind === "number") {
      Object.assign(p, { min: at(`MIN(${c.v})`), max: at(`MAX(${c.v})`), mean: at(`AVG(${c.v})`), std: at(`STDDEV_POP(${c.v})`) });
      p.integers = at(`MIN(CASE WHEN ${c.v} = FLOOR(${c.v}) THEN 1 ELSE 0 END)`);
    } else if (isDate(c)) {
      Object.assign(p, { min: at(`CAST(MIN(${c.q}) AS TEXT)`), max: at(`CAST(MAX(${c.q}) AS TEXT)`) });
      // Seconds since the epoch of the UTC instant (the session runs in UTC), as the in-memory profile's minTime/maxTime.
      Object.assign(p, {
        minTime: at(`EXTRACT(EPOCH FROM MIN(CAST(${c.q} AS TIMESTAMP)))`),
        maxTime: at(`EXTRACT(EPOCH FROM MAX(CAST(${c.q} AS TIMESTAMP)))`),
      });
    } else if (c.kind === "string") {
      Object.assign(p, {
        numeric: at(`SUM(CASE WHEN ${db.isNumberText(c.t)} THEN 1 ELSE 0 END)`),
        example: at(`MIN(CASE WHEN NOT ${db.isNumberText(c.t)} THEN ${c.t} END)`),
      });
    }
    const r = c.ref;
    if (r) {
      const range = rangeTests(c, r);
      if (range)
        Object.assign(p, { below: at(`SUM(CASE WHEN ${range.below} THEN 1 ELSE 0 END)`), above: at(`SUM(CASE WHEN ${range.above} THEN 1 ELSE 0 END)`) });
      if (c.kind === "number" && r.edges) p.bins = binTests(c.v, r.edges).map((test) => at(`SUM(CASE WHEN ${test} THEN 1 ELSE 0 END)`));
      else if (c.kind !== "number" && r.categories) p.bins = r.categories.map((cat) => at(`SUM(CASE WHEN ${c.t} = ${quoteLiteral(cat)} THEN 1 ELSE 0 END)`));
    }
    if (target && c !== target && c.kind === "number" && target.kind === "number") p.corr = at(`ABS(CORR(${c.v}, ${target.v}))`);
    return p;
  });
  const [row] = await db.all(`SELECT ${items.join(",\n  ")}\nFROM ${db.relation}`);
  const rows = num(row[0]) ?? 0;
  const get = (i: number | number[] | undefined) => (typeof i === "number" ? row[i] : null);

  const columns: ColumnProfile[] = [];
  for (const [k, c] of cols.entries()) {
    const p = plan[k];
    const count = num(get(p.count)) ?? 0;
    const distinct = num(get(p.distinct)) ?? 0;
    const out: ColumnProfile = {
      name: c.name,
      type: c.kind === "number" || c.kind === "boolean" || c.kind === "string" ? c.kind : "date",
      count,
      nulls: rows - count,
      // An estimate can overshoot the values there are; never report more distinct values than values.
      distinct: approximate ? Math.min(distinct, count) : distinct,
    };
    if (approximate) out.distinctApproximate = true;
    if (c.kind === "number" && count > 0) {
      Object.assign(out, { min: num(get(p.min)), max: num(get(p.max)), mean: num(get(p.mean)), std: num(get(p.std)), integers: num(get(p.integers)) === 1 });
    } else if (isDate(c) && count > 0) {
      const ms = (i: number | number[] | undefined) => {
        const sec = num(get(i));
        return sec === null ? undefined : Math.round(sec * 1000);
      };
      Object.assign(out, { min: isoText(get(p.min)), max: isoText(get(p.max)), minTime: ms(p.minTime), maxTime: ms(p.maxTime) });
    } else if (c.kind === "string" && count > 0) {
      out.numericShare = (num(get(p.numeric)) ?? 0) / count;
      const example = get(p.example);
      if (typeof example === "string") out.nonNumericExample = example;
    }
    if (p.below !== undefined) Object.assign(out, { belowRange: num(get(p.below)) ?? 0, aboveRange: num(get(p.above)) ?? 0 });
    if (Array.isArray(p.bins)) {
      const counts = p.bins.map((i) => num(row[i]) ?? 0);
      // Categories get one more count, "other": the non-missing values that are none of them.
      if (c.kind !== "number") counts.push(count - counts.reduce((a, b) => a + b, 0));
      out.binCounts = counts;
    }
    if (c.kind !== "number") out.top = await topValues(db, c, request.topK ?? 10);
    columns.push(out);
  }

  const profile: TableProfile =
    distinctRows === undefined
      ? { rows, duplicateRows: await duplicateRows(db, cols), columns }
      : { rows, duplicateRows: rows - (num(get(distinctRows)) ?? rows), duplicateRowsBy: "row_hash", columns };
  if (target) {
    if (target.kind !== "number") profile.classCounts = await classCounts(db, target);
    profile.leakage = await leakage(db, cols, target, (c) => num(get(plan[cols.indexOf(c)].corr)));
  }
  return profile;
}

/** SQL tests for "below the reference min" and "above its max", when the column and the reference are comparable. */
function rangeTests(c: Col, r: ReferenceColumn): { below: string; above: string } | undefined {
  if (c.kind === "number" && (typeof r.min === "number" || typeof r.max === "number")) {
    return {
      below: typeof r.min === "number" ? `${c.v} < ${sqlNumber(r.min)}` : "FALSE",
      above: typeof r.max === "number" ? `${c.v} > ${sqlNumber(r.max)}` : "FALSE",
    };
  }
  if (isDate(c) && (typeof r.min === "string" || typeof r.max === "string")) {
    const ts = (s: string) => `CAST(${quoteLiteral(s.replace(/(Z|[+-]00(:?00)?)$/, ""))} AS TIMESTAMP)`;
    const v = `CAST(${c.q} AS TIMESTAMP)`;
    return { below: typeof r.min === "string" ? `${v} < ${ts(r.min)}` : "FALSE", above: typeof r.max === "string" ? `${v} > ${ts(r.max)}` : "FALSE" };
  }
  return undefined;
}

/** Bin k holds edges[k-1] <= v < edges[k]: a value on an edge goes to the bin above it (numpy's digitize). */
function binTests(v: string, edges: number[]): string[] {
  const e = edges.map(sqlNumber);
  if (!e.length) return [`${v} IS NOT NULL`];
  return [`${v} < ${e[0]}`, ...e.slice(1).map((hi, k) => `${v} >= ${e[k]} AND ${v} < ${hi}`), `${v} >= ${e[e.length - 1]}`];
}

async function topValues(db: SqlEngine, c: Col, k: number): Promise<{ value: string; count: number }[]> {
  const rows = await db.all(
    `SELECT ${c.t} AS v, COUNT(*) AS n FROM ${db.relation} WHERE ${c.q} IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ${Math.max(0, Math.floor(k))}`,
  );
  return rows.map(([v, n]) => ({ value: isDate(c) ? (isoText(v) ?? "") : String(v), count: num(n) ?? 0 }));
}

async function classCounts(db: SqlEngine, target: Col): Promise<{ value: string; count: number }[]> {
  const rows = await db.all(`SELECT ${target.t} AS v, COUNT(*) AS n FROM ${db.relation} WHERE ${target.q} IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1`);
  return rows.map(([v, n]) => ({ value: String(v), count: num(n) ?? 0 }));
}

/** Rows equal in every column to an earlier row: for each group of identical rows, all but the first. */
async function duplicateRows(db: SqlEngine, cols: Col[]): Promise<number> {
  if (!cols.length) return 0;
  const [[n]] = await db.all(
    `SELECT COALESCE(SUM(n - 1), 0) FROM (SELECT COUNT(*) AS n FROM ${db.relation} GROUP BY ${rowKeys(cols)} HAVING COUNT(*) > 1) AS dup`,
  );
  return num(n) ?? 0;
}

/** What makes two rows the same: text forms for text columns, as some PostgreSQL types (json, point) have no equality to group by. */
function rowKeys(cols: Col[]): string {
  return cols.map((c) => (c.kind === "string" ? c.t : c.q)).join(", ");
}

async function leakage(db: SqlEngine, cols: Col[], target: Col, corr: (c: Col) => number | null): Promise<LeakageStat[]> {
  const out: LeakageStat[] = [];
  for (const f of cols) {
    if (f === target || isDate(f) || isDate(target)) continue;
    if (f.kind === "number" && target.kind === "number") {
      const r = corr(f);
      if (r !== null && Number.isFinite(r)) out.push({ feature: f.name, measure: "abs_correlation", value: r });
    } else if (f.kind === "number" || target.kind === "number") {
      const [num_, text] = f.kind === "number" ? [f, target] : [target, f];
      const eta = await correlationRatio(db, num_.v, text.t, text.q);
      if (eta !== null) out.push({ feature: f.name, measure: "correlation_ratio", value: eta });
    } else if (isText(f) && isText(target)) {
      const p = await purity(db, f, target);
      if (p) out.push({ feature: f.name, measure: "purity", value: p.purity, baseline: p.baseline });
    }
  }
  return out;
}

/** η² = between-group sum of squares / total sum of squares of the number side, over rows where both are present. */
async function correlationRatio(db: SqlEngine, y: string, group: string, groupCol: string): Promise<number | null> {
  const [[eta]] = await db.all(
    `WITH p AS (SELECT ${y} AS y, ${group} AS g FROM ${db.relation} WHERE ${y} IS NOT NULL AND ${groupCol} IS NOT NULL),
     m AS (SELECT AVG(y) AS mu FROM p),
     g AS (SELECT COUNT(*) AS n, AVG(y) AS mg FROM p GROUP BY g)
     SELECT (SELECT SUM(g.n * (g.mg - m.mu) * (g.mg - m.mu)) FROM g, m) / NULLIF((SELECT SUM((p.y - m.mu) * (p.y - m.mu)) FROM p, m), 0)`,
  );
  return num(eta);
}

/** Share of rows whose target is the most common one among rows with the same feature value, and the majority-class share. */
async function purity(db: SqlEngine, f: Col, target: Col): Promise<{ purity: number; baseline: number } | null> {
  const [[total, best, major]] = await db.all(
    `WITH c AS (SELECT ${f.t} AS a, ${target.t} AS b, COUNT(*) AS n FROM ${db.relation} WHERE ${f.q} IS NOT NULL AND ${target.q} IS NOT NULL GROUP BY 1, 2)
     SELECT (SELECT SUM(n) FROM c), (SELECT SUM(m) FROM (SELECT MAX(n) AS m FROM c GROUP BY a) AS best), (SELECT MAX(s) FROM (SELECT SUM(n) AS s FROM c GROUP BY b) AS cls)`,
  );
  const n = num(total);
  if (!n) return null;
  return { purity: (num(best) ?? 0) / n, baseline: (num(major) ?? 0) / n };
}

function num(v: SqlValue | undefined): number | null {
  if (v === null || v === undefined) return null;
  const n = typeof v === "number" ? v : Number(v);
  return Number.isNaN(n) ? null : n;
}

function sqlNumber(n: number): string {
  if (!Number.isFinite(n)) throw new DwError("INVALID_INPUT", `Reference value ${n} is not a finite number.`, { details: { field: "reference" } });
  return `CAST(${String(n)} AS DOUBLE PRECISION)`;
}

/** Engines print timestamps as `2024-01-02 03:04:05[+00]`; dw writes ISO 8601 (`2024-01-02T03:04:05[Z]`). */
function isoText(v: SqlValue | undefined): string | undefined {
  if (v === null || v === undefined) return undefined;
  return String(v)
    .replace(" ", "T")
    .replace(/\+00(:00)?$/, "Z");
}
