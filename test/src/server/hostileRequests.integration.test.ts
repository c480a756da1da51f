import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import { gzipSync } from "node:zlib";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { assertNoStack, rawRequest, score, servedWorkspace, type RawResponse, type ServedWorkspace } from "./serverFixture.js";

/*
 * Issue 11: a generated barrage of hostile requests (shapes, values, nesting, encodings, sizes,
 * paths, methods, headers) against a real `dw serve`. Each request carries its own marker (QZX and
 * a counter) in the part that is hostile, wherever the shape allows, and must get the 4xx computed
 * for it (200 only where the request is legitimately valid, then with one finite prediction per
 * row), a JSON {error_code, message} without the marker or a stack trace, within LIMIT_MS. After
 * the barrage the same server must still answer /ping and score as it did before.
 *
 * The expectations follow docs/architecture.md ("Requests", "Errors", "Who may ask"), and MLflow
 * where that page is silent. One file, though long, so that the generator and its expectations
 * are read together. DW_HOSTILE_SEED=<n> generates another barrage.
 */

const SEED = Number(process.env.DW_HOSTILE_SEED ?? 20_261_111);
/** A bound against quadratic blow-ups and hangs, not a speed target. */
const LIMIT_MS = 5_000;
const MAX_BODY = 16 * 1024 * 1024;
const MAX_ROWS = 100_000;

type Category = "shapes" | "values" | "nesting" | "encodings" | "sizes" | "paths" | "methods" | "headers" | "formats" | "routes";
/** The number of cases generated per category (sizes is a fixed list). */
const COUNTS: Record<Exclude<Category, "sizes">, number> = {
  shapes: 260,
  values: 300,
  nesting: 90,
  encodings: 130,
  paths: 190,
  methods: 70,
  headers: 100,
  formats: 160,
  routes: 60,
};

interface Case {
  category: Category;
  /** The variant, without its marker, so that the failures of one variant group together. */
  what: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  /** Bytes written to a socket as they are: requests that an HTTP client refuses to build. */
  wire?: Buffer;
  /** The statuses this request may get; more than one only where neither dw's docs nor MLflow decide. */
  expect: readonly number[];
  /** What a 200 carries: predictions for `rows` rows (the default), /ping's text, or a model's metadata. */
  ok?: "predictions" | "text" | "metadata" | "status" | "metrics";
  rows?: number;
  /** Send a /ping while this request is being handled: it must be answered within LIMIT_MS too. */
  withPing?: boolean;
}

// ---------------------------------------------------------------------------------------------
// A seeded generator

interface Rng {
  int(lo: number, hi: number): number;
  chance(p: number): boolean;
  pick<T>(xs: readonly T[]): T;
}

/** mulberry32: tiny, fast and good enough to pick test cases reproducibly. */
function rng(seed: number): Rng {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    chance: (p) => next() < p,
    pick: (xs) => xs[Math.floor(next() * xs.length)],
  };
}

// ---------------------------------------------------------------------------------------------
// Requests the two models accept

type Model = "temp" | "tw";
const NUMERIC = ["precipitation", "temp_min", "wind"];
const WEATHER = ["sun", "rain", "fog", "drizzle", "snow"];
const columnsOf = (model: Model) => (model === "tw" ? [...NUMERIC, "weather"] : NUMERIC);
const q = (v: unknown) => JSON.stringify(v);
const JSON_TYPE = { "Content-Type": "application/json" };

function scoringPath(g: Rng, model: Model): string {
  return g.chance(0.7) ? `/models/${model}@production/invocations` : `/models/${model}/1/invocations`;
}

/** A valid cell, as JSON text. */
function validCell(g: Rng, column: string): string {
  if (column === "weather") return q(g.pick(WEATHER));
  if (column === "precipitation") return String(g.int(0, 300) / 10);
  if (column === "temp_min") return String(g.int(-50, 200) / 10);
  return String(g.int(0, 80) / 10);
}

const validRow = (g: Rng, columns: string[]) => columns.map((c) => validCell(g, c));
const validRows = (g: Rng, columns: string[], n: number) => Array.from({ length: n }, () => validRow(g, columns));

/** `{"columns": …, "data": …}` from JSON texts (so that values such as 1e999 stay as written). */
const splitValue = (columns: string, rows: string[]) => `{"columns":${columns},"data":[${rows.join(",")}]}`;
const splitBody = (columns: string[], rows: string[][]) =>
  `{"dataframe_split":${splitValue(
    q(columns),
    rows.map((r) => `[${r.join(",")}]`),
  )}}`;
const recordJson = (pairs: [string, string][]) => `{${pairs.map(([k, v]) => `${q(k)}:${v}`).join(",")}}`;
const recordsList = (columns: string[], rows: string[][]) => `[${rows.map((r) => recordJson(r.map((v, j) => [columns[j], v]))).join(",")}]`;
const recordsBody = (columns: string[], rows: string[][]) => `{"dataframe_records":${recordsList(columns, rows)}}`;
const tableBody = (g: Rng, columns: string[], rows: string[][]) => (g.chance(0.5) ? splitBody(columns, rows) : recordsBody(columns, rows));

function post(
  category: Category,
  what: string,
  path: string,
  body: string | Buffer,
  expect: readonly number[],
  rows?: number,
  headers: Record<string, string> = JSON_TYPE,
): Case {
  return { category, what, method: "POST", path, headers, body, expect, rows };
}

/** What no answer may contain: the marker, as sent, percent-encoded or JSON-escaped. */
const ECHO = /qzx|%51zx|\\u0051zx/i;

// ---------------------------------------------------------------------------------------------
// Values, per column type (docs/architecture.md, "Requests"); `@M@` stands for the marker

const M = "@M@";
const withMarker = (text: string, m: string) => text.split(M).join(m);

const refused = (...values: string[]) => values.map((v): [string, boolean] => [v, false]);
const accepted = (...values: string[]) => values.map((v): [string, boolean] => [v, true]);

/** [JSON text, accepted] for a double column. */
const NUMBER_VALUES: [string, boolean][] = [
  ...refused(
    "true",
    "false",
    '" "',
    '"\\t"',
    '"0x10"',
    '"0X1F"',
    '"0b11"',
    '"0o7"',
    '"1_000"',
    '"1e999"',
    '"-1e999"',
    "1e999",
    "-1e999",
    '"Infinity"',
    '"-Infinity"',
    '"NaN"',
    '"nan"',
    '"inf"',
  ),
  ...refused('"1,5"', '"5 5"', '"1e"', '"."', '"+"', '"--1"', '"\\u0663"', '"\\uff15"', '"@M@"', '"5@M@"'),
  ...refused(
    "{}",
    '{"toString":1}',
    '{"valueOf":1}',
    '{"valueOf":"@M@"}',
    '{"toString":{"toString":1}}',
    '{"__proto__":{"@M@":1}}',
    '{"@M@":1}',
    "[]",
    "[1]",
    "[[1]]",
    "[null]",
    '["@M@"]',
  ),
  ...accepted(
    "null",
    '""',
    "0",
    "-0",
    '"5"',
    '" 12 "',
    '"+5"',
    '"-.5"',
    '"5."',
    '"1e-3"',
    '"1E+2"',
    "12.5",
    "5e-324",
    "1e-400",
    '"1e-400"',
    "-273.15",
    "1e300",
    "123456789012345678901234567890",
  ),
];

/** [JSON text, accepted] for the text column `weather` of `tw`: text, and a finite number or a boolean as its text. */
const TEXT_VALUES: [string, boolean][] = [
  ...refused("{}", '{"toString":1}', '{"valueOf":1}', '{"__proto__":{"@M@":1}}', '{"@M@":"sun"}', "[]", '["sun"]', '[["@M@"]]', "1e999", "-1e999"),
  ...accepted(
    '"sun"',
    '"rain"',
    '"@M@"',
    '"Sun"',
    '" sun "',
    "null",
    '""',
    "3",
    "-0",
    "1e308",
    "true",
    "false",
    '"\\u0000"',
    '"\\ud800"',
    '"\\u2603"',
    '"0x10"',
    q("@M@".repeat(400)),
  ),
];

const EXTREMES = ["1e308", "-1e308", "1.7e308", "-1.7e308", "1.7976931348623157e308", "-1.7976931348623157e308", "5e307", "-5e307"];

/** temp's linear form, measured through the server: prediction = intercept + Σ slopes[j] · x[j]. */
interface Linear {
  intercept: number;
  slopes: number[];
}

/**
 * Whether temp's arithmetic on `x` stays finite in every order of summation (200), overflows in
 * every order (400), or is too close to the edge to say (undefined: the generator picks again).
 */
function linearVerdict(lin: Linear, x: number[]): 200 | 400 | undefined {
  const terms = x.map((v, j) => lin.slopes[j] * v);
  if (terms.some((t) => !Number.isFinite(t))) return 400;
  const s = 2 ** -1000; // scaled, so that these sums cannot overflow themselves
  let pos = Math.max(lin.intercept, 0) * s;
  let neg = Math.min(lin.intercept, 0) * s;
  for (const t of terms)
    if (t > 0) pos += t * s;
    else neg += t * s;
  const limit = Number.MAX_VALUE * s;
  if (pos < limit * (1 - 1e-6) && -neg < limit * (1 - 1e-6)) return 200;
  if (Math.abs(pos + neg) > limit * (1 + 1e-6)) return 400;
  return undefined;
}

function valueCase(g: Rng, m: string): Case {
  const model: Model = g.chance(0.5) ? "tw" : "temp";
  // The marker column is one the model does not read: ignored when the request is otherwise valid.
  const columns = [...columnsOf(model), m];
  const n = g.int(1, 4);
  const rows = validRows(g, columnsOf(model), n).map((r) => [...r, q(m)]);
  const text = model === "tw" && g.chance(0.35);
  const col = text ? 3 : g.int(0, 2);
  // three in four values are ones the column refuses; the rest check that refusing is not all it does
  const refuse = g.chance(0.75);
  const [value, ok] = g.pick((text ? TEXT_VALUES : NUMBER_VALUES).filter(([, a]) => a !== refuse));
  rows[g.int(0, n - 1)][col] = withMarker(value, m);
  const what = `${text ? "text" : "double"} column ${model}: ${value.length > 40 ? value.slice(0, 40) + "…" : value}`;
  return post("values", what, scoringPath(g, model), tableBody(g, columns, rows), ok ? [200] : [400], n);
}

/** Values near ±1.8e308: finite for the tree, and for the linear model as its arithmetic decides. */
function extremeCase(g: Rng, m: string, lin: Linear): Case {
  for (;;) {
    const model: Model = g.chance(0.6) ? "temp" : "tw";
    const row = validRow(g, columnsOf(model));
    const x = row.slice(0, 3).map(Number);
    const k = g.int(1, 3);
    for (let i = 0; i < k; i++) {
      const j = g.int(0, 2);
      const v = g.pick(EXTREMES);
      x[j] = Number(v);
      row[j] = g.chance(0.5) ? q(v) : v;
    }
    const verdict = model === "tw" ? 200 : linearVerdict(lin, x);
    if (verdict === undefined) continue;
    const columns = [...columnsOf(model), m];
    return post(
      "values",
      `${model}: values near ±1.8e308 (${verdict === 200 ? "finite" : "overflowing"} arithmetic)`,
      scoringPath(g, model),
      tableBody(g, columns, [[...row, q(m)]]),
      [verdict],
      1,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Shapes of the body

interface Shape {
  g: Rng;
  m: string;
  qm: string;
  /** The model's columns, and n valid rows of JSON cells. */
  cols: string[];
  rows: string[][];
  n: number;
  /** A valid dataframe_split object and a valid dataframe_records list, as JSON text. */
  split: string;
  records: string;
}
type Built = { body: string; expect: number[]; rows?: number };
const bad = (body: string): Built => ({ body, expect: [400] });
const good = (body: string, rows: number): Built => ({ body, expect: [200], rows });
const withSplit = (columns: string[], rows: string[][]) => splitBody(columns, rows);
const rowsText = (rows: string[][]) => rows.map((r) => `[${r.join(",")}]`);

const SHAPES: [string, (s: Shape) => Built][] = [
  ["top level: a list", (s) => bad(`[${s.qm}]`)],
  ["top level: a list holding a valid request", (s) => bad(`[{"dataframe_split":${s.split}},${s.qm}]`)],
  ["top level: a string", (s) => bad(s.qm)],
  ["top level: a number", (s) => bad(s.g.pick(["0", "-1.5", "1e999"]))],
  ["top level: null, true or false", (s) => bad(s.g.pick(["null", "true", "false"]))],
  ["an empty or blank body", (s) => bad(s.g.pick(["", " ", "\n\t"]))],
  ["invalid JSON starting with the marker", (s) => bad(`${s.m}{"dataframe_split":${s.split}}`)],
  ["invalid JSON: a trailing comma", (s) => bad(`{"dataframe_records":${s.records},${s.qm}:1,}`)],
  ["invalid JSON: single quotes", (s) => bad(`{'dataframe_split':${s.split},'${s.m}':1}`)],
  ["invalid JSON: cut short", (s) => bad(`{"dataframe_split":${s.split.slice(0, s.g.int(1, s.split.length - 1))}${s.m}`)],
  ["no input field", () => bad("{}")],
  ["only params", (s) => bad(`{"params":{${s.qm}:1}}`)],
  ["only an unknown field", (s) => bad(`{${s.qm}:${s.split}}`)],
  ["a misspelled input field", (s) => bad(`{${q("dataframe_split" + s.m)}:${s.split}}`)],
  ["an input field in capitals", (s) => bad(`{"DATAFRAME_SPLIT":${s.split},${s.qm}:1}`)],
  ["dataframe_split and dataframe_records", (s) => bad(`{"dataframe_split":${s.split},"dataframe_records":${s.records},"params":{${s.qm}:1}}`)],
  ["dataframe_split and instances", (s) => bad(`{"dataframe_split":${s.split},"instances":[${s.qm}]}`)],
  ["dataframe_records and inputs", (s) => bad(`{"dataframe_records":${s.records},"inputs":{${s.qm}:[1]}}`)],
  ["instances as records, params ignored", (s) => good(`{"instances":${s.records},"params":{${s.qm}:1}}`, s.n)],
  ["inputs as columns without the model's columns", (s) => bad(`{"inputs":{${s.qm}:[1]}}`)],
  ["an unknown field beside dataframe_split", (s) => bad(`{"dataframe_split":${s.split},${s.qm}:1}`)],
  ["an unknown field beside dataframe_records", (s) => bad(`{${s.qm}:null,"dataframe_records":${s.records}}`)],
  ["an input field twice, the last not an object", (s) => bad(`{"dataframe_split":${s.split},"dataframe_split":${s.qm}}`)],
  ["params beside dataframe_split (ignored)", (s) => good(`{"dataframe_split":${s.split},"params":{${s.qm}:${s.qm}}}`, s.n)],
  ["dataframe_split not an object", (s) => bad(`{"dataframe_split":${s.g.pick([s.qm, `[${s.qm}]`, "null", "1", "true"])}}`)],
  ["dataframe_split without columns", (s) => bad(`{"dataframe_split":{"data":[${rowsText(s.rows)}],${s.qm}:1}}`)],
  ["dataframe_split without data", (s) => bad(`{"dataframe_split":{"columns":${q(s.cols)},${s.qm}:1}}`)],
  ["columns not a list", (s) => bad(`{"dataframe_split":${splitValue(s.g.pick([s.qm, `{${s.qm}:1}`, "null", "1", "true"]), rowsText(s.rows))}}`)],
  [
    "a column name that is not text",
    (s) => {
      const name = s.g.pick(["1", "null", "true", "[]", `[${s.qm}]`, `{${s.qm}:1}`]);
      return bad(`{"dataframe_split":${splitValue(`[${[...s.cols.map((c) => q(c)), name].join(",")}]`, rowsText(s.rows.map((r) => [...r, "1"])))}}`);
    },
  ],
  ["data not a list", (s) => bad(`{"dataframe_split":{"columns":${q(s.cols)},"data":${s.g.pick([s.qm, `{${s.qm}:[]}`, "null", "1"])}}}`)],
  ["a row that is not a list", (s) => bad(`{"dataframe_split":${splitValue(q(s.cols), [...rowsText(s.rows), s.g.pick([s.qm, `{${s.qm}:1}`, "null", "1"])])}}`)],
  [
    "a row too short",
    (s) =>
      bad(
        withSplit(
          s.cols,
          s.rows.map((r, i) => (i === s.n - 1 ? r.slice(0, -1) : r)),
        ),
      ),
  ],
  [
    "a row too long",
    (s) =>
      bad(
        withSplit(
          s.cols,
          s.rows.map((r, i) => (i === 0 ? [...r, s.qm] : r)),
        ),
      ),
  ],
  [
    "an empty row",
    (s) =>
      bad(
        withSplit(
          s.cols,
          s.rows.map((r, i) => (i === s.n - 1 ? [] : r)),
        ),
      ),
  ],
  [
    "a model column named twice",
    (s) =>
      bad(
        withSplit(
          [...s.cols, s.cols[1], s.m],
          s.rows.map((r) => [...r, r[1], s.qm]),
        ),
      ),
  ],
  [
    "the marker column named twice",
    (s) =>
      bad(
        withSplit(
          [s.m, ...s.cols, s.m],
          s.rows.map((r) => ["1", ...r, "2"]),
        ),
      ),
  ],
  // pandas' split orient refuses unexpected keys, so MLflow answers 400
  ["an unknown key inside dataframe_split", (s) => bad(`{"dataframe_split":{"columns":${q(s.cols)},"data":[${rowsText(s.rows)}],${s.qm}:1}}`)],
  [
    "an index beside columns and data",
    (s) =>
      good(
        `{"dataframe_split":{"index":${q(s.rows.map((_, i) => i))},"columns":${q([...s.cols, s.m])},"data":[${rowsText(s.rows.map((r) => [...r, s.qm]))}]}}`,
        s.n,
      ),
  ],
  ["zero rows", (s) => good(withSplit([...s.cols, s.m], []), 0)],
  [
    "a model column absent",
    (s) => {
      const k = s.g.int(0, s.cols.length - 1);
      return bad(
        withSplit(
          [...s.cols.filter((_, j) => j !== k), s.m],
          s.rows.map((r) => [...r.filter((_, j) => j !== k), s.qm]),
        ),
      );
    },
  ],
  [
    "column names that are Object.prototype members (ignored)",
    (s) =>
      good(
        withSplit(
          [...s.cols, "__proto__", "constructor", "toString", "hasOwnProperty", s.m],
          s.rows.map((r) => [...r, "{}", "1", s.qm, "null", s.qm]),
        ),
        s.n,
      ),
  ],
  ["dataframe_records not a list", (s) => bad(`{"dataframe_records":${s.g.pick([s.qm, `{${s.qm}:{}}`, "null", "1"])}}`)],
  [
    "a record that is not an object",
    (s) => {
      const odd = s.g.pick(["[0,5,4.7]", "null", "1", s.qm, "true", `[${s.qm}]`]);
      return bad(`{"dataframe_records":[${[...s.rows.map((r) => recordJson(r.map((v, j) => [s.cols[j], v]))), odd].join(",")}]}`);
    },
  ],
  [
    "records each with a new key",
    (s) =>
      good(
        `{"dataframe_records":[${s.rows.map((r, i) => recordJson([...r.map((v, j): [string, string] => [s.cols[j], v]), [`${s.m}_${i}`, "1"]])).join(",")}]}`,
        s.n,
      ),
  ],
  [
    "records each with a new key, none with a model column",
    (s) => bad(`{"dataframe_records":[${s.rows.map((_, i) => recordJson([[`${s.m}_${i}`, "1"]])).join(",")}]}`),
  ],
  [
    "a record without a model column (imputed)",
    (s) => {
      const k = s.g.int(0, s.cols.length - 1);
      const rows = [...s.rows, validRow(s.g, s.cols)];
      return good(
        `{"dataframe_records":[${rows.map((r, i) => recordJson([...r.map((v, j): [string, string] => [s.cols[j], v]).filter((_, j) => i > 0 || j !== k), [s.m, s.qm]])).join(",")}]}`,
        rows.length,
      );
    },
  ],
  [
    "records whose keys are Object.prototype members (ignored)",
    (s) =>
      good(
        `{"dataframe_records":[${s.rows.map((r) => recordJson([["__proto__", `{"precipitation":${s.qm}}`], ["constructor", s.qm], ...r.map((v, j): [string, string] => [s.cols[j], v]), ["toString", "1"], ["valueOf", "{}"], ["hasOwnProperty", "null"]])).join(",")}]}`,
        s.n,
      ),
  ],
  [
    "a model column only under __proto__",
    (s) =>
      bad(
        `{"dataframe_records":[${s.rows.map((r) => recordJson([["__proto__", `{"${s.cols[0]}":${r[0]}}`], ...r.slice(1).map((v, j): [string, string] => [s.cols[j + 1], v]), [s.m, "1"]])).join(",")}]}`,
      ),
  ],
  [
    "a key twice in a record, the last valid (JSON: the last wins)",
    (s) =>
      good(
        `{"dataframe_records":[${s.rows.map((r) => recordJson([[s.cols[0], s.qm], ...r.map((v, j): [string, string] => [s.cols[j], v])])).join(",")}]}`,
        s.n,
      ),
  ],
  [
    "a key twice in a record, the last not a number",
    (s) => bad(`{"dataframe_records":[${s.rows.map((r) => recordJson([...r.map((v, j): [string, string] => [s.cols[j], v]), [s.cols[0], s.qm]])).join(",")}]}`),
  ],
];

function shapeCase(g: Rng, m: string): Case {
  const model: Model = g.chance(0.5) ? "tw" : "temp";
  const cols = columnsOf(model);
  const n = g.int(1, 4);
  const rows = validRows(g, cols, n);
  const s: Shape = { g, m, qm: q(m), cols, rows, n, split: splitValue(q(cols), rowsText(rows)), records: recordsList(cols, rows) };
  const [what, build] = g.pick(SHAPES);
  const b = build(s);
  return post("shapes", what, scoringPath(g, model), b.body, b.expect, b.rows);
}

// ---------------------------------------------------------------------------------------------
// Nesting

const nestList = (depth: number, inner: string) => "[".repeat(depth) + inner + "]".repeat(depth);
const nestObject = (depth: number, key: string, inner: string) => `{${q(key)}:`.repeat(depth) + inner + "}".repeat(depth);

function nestingCase(g: Rng, m: string): Case {
  const d = g.pick([2, 10, 100, 1000, 2000, 5000, 5000, 5000, 5000, 20_000, 100_000]);
  const model: Model = g.chance(0.5) ? "tw" : "temp";
  const cols = columnsOf(model);
  const row = validRow(g, cols);
  const valid = splitValue(q(cols), [`[${row.join(",")}]`]);
  const qm = q(m);
  const at = (j: number, v: string) => row.map((c, i) => (i === j ? v : c));
  const text = model === "tw" ? tableBody(g, cols, [at(3, g.chance(0.5) ? nestList(d, qm) : nestObject(d, m, qm))]) : null;
  const variants: [string, () => string, number][] = [
    ["a double value nested lists deep", () => splitBody(cols, [at(g.int(0, 2), nestList(d, qm))]), 400],
    ["a double value nested objects deep", () => recordsBody(cols, [at(g.int(0, 2), nestObject(d, m, "1"))]), 400],
    ...(text ? [["a text value nested deep (tw)", () => text, 400] as [string, () => string, number]] : []),
    ["the body nested lists deep", () => nestList(d, qm), 400],
    ["the body nested objects deep", () => nestObject(d, m, "1"), 400],
    ["dataframe_split nested lists deep", () => `{"dataframe_split":${nestList(d, qm)}}`, 400],
    ["dataframe_records nested lists deep", () => `{"dataframe_records":${nestList(d, qm)}}`, 400],
    [
      "a column name nested deep",
      () => `{"dataframe_split":${splitValue(`[${[...cols.map((c) => q(c)), nestList(d, qm)].join(",")}]`, [`[${[...row, "1"].join(",")}]`])}}`,
      400,
    ],
    ["a row nested deep", () => `{"dataframe_split":${splitValue(q(cols), [nestList(d, qm)])}}`, 400],
    ["a record nested deep", () => `{"dataframe_records":[${nestList(d, qm)}]}`, 400],
    ["params nested deep (ignored)", () => `{"dataframe_split":${valid},"params":{${qm}:${nestList(d, qm)}}}`, 200],
    ["an ignored column's value nested deep", () => recordsBody([...cols, m], [[...row, g.chance(0.5) ? nestList(d, qm) : nestObject(d, m, qm)]]), 200],
    ["an unknown field nested deep", () => `{"dataframe_split":${valid},${qm}:${nestList(d, "1")}}`, 400],
  ];
  const [what, body, status] = g.pick(variants);
  return post("nesting", `${what} (${d})`, scoringPath(g, model), body(), [status], 1);
}

// ---------------------------------------------------------------------------------------------
// Encodings

const BAD_UTF8 = [[0xff], [0x80], [0xc0, 0xaf], [0xe0, 0xa4], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xfe, 0xfe]];

/** The UTF-8 of `text` with `bytes` (not UTF-8) where `\uE000` stands (a private-use character, which JSON.stringify leaves as it is). */
function withBytes(text: string, bytes: number[]): Buffer {
  const parts = text.split("\uE000");
  return Buffer.concat(parts.flatMap((p, i) => (i ? [Buffer.from(bytes), Buffer.from(p, "utf8")] : [Buffer.from(p, "utf8")])));
}

function encodingCase(g: Rng, m: string): Case {
  const model: Model = g.chance(0.5) ? "tw" : "temp";
  const cols = columnsOf(model);
  const row = validRow(g, cols);
  const qm = q(m);
  const valid = splitBody([...cols, m], [[...row, qm]]);
  const tw = [...validRow(g, NUMERIC)];
  const twBody = (weather: string) => tableBody(g, [...columnsOf("tw"), m], [[...tw, weather, "1"]]);
  const bytes = g.pick(BAD_UTF8);
  const path = scoringPath(g, model);
  const twPath = scoringPath(g, "tw");
  const ct = (type: string) => ({ "Content-Type": type });
  // A body that is not UTF-8 is not JSON (RFC 8259 §8.1); turning its bytes into U+FFFD would score text the client never sent.
  const variants: (() => Case)[] = [
    () =>
      post("encodings", "invalid UTF-8 in an ignored column's name", path, withBytes(recordsBody([...cols, m + "\uE000"], [[...row, "1"]]), bytes), [400], 1),
    () => post("encodings", "invalid UTF-8 in a text value (tw)", twPath, withBytes(twBody(q(`sun\uE000${m}`)), bytes), [400], 1),
    () =>
      post(
        "encodings",
        "invalid UTF-8 in a double given as text",
        path,
        withBytes(splitBody([...cols, m], [[`"1\uE000"`, ...row.slice(1), qm]]), bytes),
        [400],
        1,
      ),
    () => post("encodings", "invalid UTF-8 between tokens", path, withBytes(`{\uE000${qm}:1,"dataframe_split":${valid.slice(19, -1)}}`, bytes), [400], 1),
    () =>
      post(
        "encodings",
        "invalid UTF-8 in an unknown field's name",
        path,
        withBytes(`{"dataframe_split":${valid.slice(19, -1)},"${m}\uE000":1}`, bytes),
        [400],
        1,
      ),
    // Python's json.loads, which MLflow uses, refuses a byte order mark
    () => post("encodings", "a UTF-8 byte order mark", path, "\ufeff" + valid, [400], 1),
    () => post("encodings", "UTF-16LE with a byte order mark", path, Buffer.from("\ufeff" + valid, "utf16le"), [400], 1),
    () => post("encodings", "UTF-16BE without a byte order mark", path, Buffer.from(valid, "utf16le").swap16(), [400], 1),
    () => post("encodings", "UTF-16 declared as charset=utf-16", path, Buffer.from(valid, "utf16le"), [415], 1, ct("application/json; charset=utf-16")),
    () =>
      post(
        "encodings",
        "Latin-1 declared as charset=iso-8859-1",
        twPath,
        Buffer.from(twBody(q(`Z\u00fcrich${m}`)), "latin1"),
        [415],
        1,
        ct("application/json; charset=iso-8859-1"),
      ),
    () => post("encodings", "Latin-1 sent as UTF-8 (invalid UTF-8)", twPath, Buffer.from(twBody(q(`Z\u00fcrich${m}`)), "latin1"), [400], 1),
    () =>
      post(
        "encodings",
        "a charset other than UTF-8",
        path,
        valid,
        [415],
        1,
        ct(`application/json; charset=${g.pick(["utf-16le", "us-ascii", "windows-1252", m, ""])}`),
      ),
    () =>
      post(
        "encodings",
        "charset=utf-8 in other spellings (valid)",
        path,
        valid,
        [200],
        1,
        ct(
          g.pick(["application/json; charset=utf-8", "application/json;charset=UTF-8", 'application/json; charset="utf-8"', "Application/JSON; Charset=UTF-8"]),
        ),
      ),
    () =>
      post(
        "encodings",
        "an escaped marker in an unknown field's name",
        path,
        `{"\\u0051ZX${m.slice(3)}":1,"dataframe_split":${valid.slice(19, -1)}}`,
        [400],
        1,
      ),
    () => post("encodings", "an escaped marker in a text value (tw)", twPath, twBody(`"\\u0051ZX${m.slice(3)}"`), [200], 1),
    () => post("encodings", "a lone surrogate escape in a text value (tw)", twPath, twBody(`"\\ud800${m}"`), [200], 1),
    // JSON.stringify writes the lone surrogate as the escape \ud800; the model column is then absent
    () =>
      post(
        "encodings",
        "a lone surrogate escape in a model column's name",
        path,
        splitBody([...cols.slice(0, -1), cols[cols.length - 1] + "\ud800", m], [[...row, qm]]),
        [400],
        1,
      ),
    () => post("encodings", "an invalid escape", twPath, twBody(`"\\x41${m}"`), [400], 1),
    () => post("encodings", "a raw control character in a string", twPath, twBody(`"sun\u0002${m}"`), [400], 1),
    () => post("encodings", "a NUL byte between tokens", path, `{\u0000${qm}:1,"dataframe_split":${valid.slice(19, -1)}}`, [400], 1),
    () => post("encodings", "a gzip body with Content-Encoding: gzip", path, gzipSync(valid), [400, 415], 1, { ...JSON_TYPE, "Content-Encoding": "gzip" }),
    () => post("encodings", "a base64 body", path, Buffer.from(valid).toString("base64"), [400], 1),
  ];
  return g.pick(variants)();
}

// ---------------------------------------------------------------------------------------------
// Sizes: a fixed list, the largest bodies the limits allow and just beyond

function recordsWithNewKeys(g: Rng, m: string, n: number, withModelColumns: boolean): string {
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    const own = `${q(`${m}_${i}`)}:1`;
    parts.push(withModelColumns ? `{"precipitation":${g.int(0, 99) / 10},"temp_min":${g.int(0, 99) / 10},"wind":${g.int(0, 99) / 10},${own}}` : `{${own}}`);
  }
  return `{"dataframe_records":[${parts.join(",")}]}`;
}

/** A valid request padded with spaces to exactly `bytes` bytes. */
function padded(valid: string, bytes: number): string {
  return valid.slice(0, -1) + " ".repeat(bytes - Buffer.byteLength(valid)) + "}";
}

function sizeCases(g: Rng, marker: () => string): Case[] {
  const P = "/models/temp@production/invocations";
  const cases: Case[] = [];
  const add = (what: string, body: (m: string) => string | Buffer, expect: number[], rows?: number, extra: Partial<Case> = {}) => {
    const m = marker();
    cases.push({ ...post("sizes", what, extra.path ?? P, body(m), expect, rows, extra.headers ?? JSON_TYPE), ...extra });
  };
  for (const n of [1_000, 10_000, 50_000, MAX_ROWS])
    add(`records each with a new key ×${n}`, (m) => recordsWithNewKeys(g, m, n, true), [200], n, { withPing: n >= 50_000 });
  add("records each with a new key ×20000, none with a model column", (m) => recordsWithNewKeys(g, m, 20_000, false), [400]);
  const row = "[0.5,5,4.7]";
  add(
    `${MAX_ROWS} rows (the limit)`,
    (m) =>
      `{"dataframe_split":{"columns":["precipitation","temp_min","wind",${q(m)}],"data":[${Array(MAX_ROWS)
        .fill(`[0.5,5,4.7,${q(m)}]`)
        .join(",")}]}}`,
    [200],
    MAX_ROWS,
  );
  add(
    `${MAX_ROWS + 1} rows`,
    (m) =>
      `{"dataframe_split":{"columns":["precipitation","temp_min","wind",${q(m)}],"data":[${Array(MAX_ROWS + 1)
        .fill(row.replace("]", ",1]"))
        .join(",")}]}}`,
    [400],
  );
  add("1,000,000 empty rows", (m) => `{"dataframe_split":{"columns":[],"data":[${Array(1_000_000).fill("[]").join(",")}]},"params":{${q(m)}:1}}`, [400]);
  add("200,000 empty records", (m) => `{"dataframe_records":[${Array(200_000).fill("{}").join(",")}],"params":{${q(m)}:1}}`, [400]);
  add(
    "100,000 ignored columns",
    (m) =>
      splitBody(
        ["precipitation", "temp_min", "wind", ...Array.from({ length: 100_000 }, (_, i) => `${m}_${i}`)],
        [["0.5", "5", "4.7", ...Array(100_000).fill("0")]],
      ),
    [200],
    1,
  );
  add("an 8 MB text value (tw)", (m) => recordsBody(columnsOf("tw"), [["0.5", "5", "4.7", q(m + "x".repeat(8_000_000))]]), [200], 1, {
    path: "/models/tw@production/invocations",
  });
  add("an 8 MB ignored column name", (m) => recordsBody([...NUMERIC, m + "x".repeat(8_000_000)], [["0.5", "5", "4.7", "1"]]), [200], 1);
  add("a 1,000,000-digit number", (m) => splitBody([...NUMERIC, m], [["1" + "0".repeat(1_000_000), "5", "4.7", "1"]]), [400]);
  add("a 1,000,000-digit fraction", (m) => splitBody([...NUMERIC, m], [["0." + "0".repeat(1_000_000) + "1", "5", "4.7", "1"]]), [200], 1);
  add("a 1,000,000-digit number as text", (m) => splitBody([...NUMERIC, m], [[q("9".repeat(1_000_000)), "5", "4.7", "1"]]), [400]);
  const valid = (m: string) => splitBody([...NUMERIC, m], [["0.5", "5", "4.7", q(m)]]);
  add("a body of exactly 16 MiB", (m) => padded(valid(m), MAX_BODY), [200], 1);
  add("a body of 16 MiB + 1, chunked", (m) => padded(valid(m), MAX_BODY + 1), [413]);
  add("a body of 64 MiB, chunked", (m) => padded(valid(m), 4 * MAX_BODY), [413]);
  // declared too large: answered at once, while the client is still sending (several times, as whether the client sees the answer is a race)
  for (let i = 0; i < 4; i++)
    add("a body of 16 MiB + 1 with its Content-Length", (m) => padded(valid(m), MAX_BODY + 1), [413], undefined, {
      headers: { ...JSON_TYPE, "Content-Length": String(MAX_BODY + 1) },
    });
  for (let i = 0; i < 2; i++)
    add("a body of 64 MiB with its Content-Length", (m) => padded(valid(m), 4 * MAX_BODY), [413], undefined, {
      headers: { ...JSON_TYPE, "Content-Length": String(4 * MAX_BODY) },
    });
  {
    const m = marker();
    const head = `POST ${P}?${m} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 999999999999\r\nConnection: close\r\n\r\n`;
    cases.push({
      category: "sizes",
      what: "a Content-Length of 1 TB, then a few bytes",
      method: "POST",
      path: P,
      headers: {},
      wire: Buffer.from(head + valid(m)),
      expect: [413],
    });
  }
  return cases;
}

// ---------------------------------------------------------------------------------------------
// Paths

/** [what, path ("@M@" is the marker), statuses for a POST of a valid temp row]. */
const PATHS: [string, string, number[]][] = [
  ...["%ZZ", "%", "%E0%A4%A", "%C0%AF", "%ED%A0%80", "%FF", "%25", "%2"].flatMap((bad): [string, string, number[]][] => [
    [`malformed percent-encoding in the name: ${bad}`, `/models/@M@${bad}@production/invocations`, [400]],
    [`malformed percent-encoding in the alias: ${bad}`, `/models/temp@@M@${bad}/invocations`, [400]],
  ]),
  ["malformed percent-encoding in the version", "/models/temp/1%ZZ@M@/invocations", [400]],
  ["..%2f traversal in the name", "/models/..%2f..%2fruns%2f@M@@production/invocations", [400]],
  ["..%2F traversal out of .git in the name", "/models/..%2F..%2F..%2F..%2F@M@@production/invocations", [400]],
  ["..%2f traversal in the alias", "/models/temp@..%2f..%2fruns%2f@M@/invocations", [400]],
  ["..%2f traversal to another model's version in the alias", "/models/temp@..%2F..%2Fmodels%2Ftw%2F1%2F@M@/invocations", [400]],
  ["..%2f traversal after a valid alias", "/models/temp@production%2f..%2f..%2f@M@/invocations", [400]],
  ["%2e%2e%2f traversal in the name", "/models/%2e%2e%2f@M@@production/invocations", [400]],
  ["a name that is ..", "/models/..@M@@production/invocations", [400]],
  ["a 10,000-character name", `/models/@M@${"a".repeat(10_000)}@production/invocations`, [400]],
  ["a 101-character name", `/models/@M@${"a".repeat(101 - 7)}@production/invocations`, [400]],
  ["a 10,000-character alias", `/models/temp@@M@${"a".repeat(10_000)}/invocations`, [400]],
  ["a 65-character alias", `/models/temp@@M@${"a".repeat(65 - 7)}/invocations`, [400]],
  ["a 10,000-digit version", `/models/temp/${"1".repeat(10_000)}/invocations?@M@`, [400]],
  ["an alias starting with a digit", "/models/temp@1@M@/invocations", [400]],
  ["an alias that is a number", "/models/temp@1/invocations?@M@", [400]],
  ["an alias ending in .lock", "/models/temp@@M@.lock/invocations", [400]],
  ["a name ending in .lock", "/models/@M@.lock@production/invocations", [400]],
  ["@{ in the alias", "/models/temp@@M@@{0}/invocations", [400]],
  ["@{ in the name, encoded", "/models/@M@%40%7B0%7D@production/invocations", [400]],
  ...["%00", "%0a", "%20", "%2F1", "~1", "^", ":x", "%3F", "*", "[", "%C3%A9", "..x", "%5C", "%22"].flatMap((bad): [string, string, number[]][] => [
    [`${bad} in the name`, `/models/@M@${bad}@production/invocations`, [400]],
    [`${bad} in the alias`, `/models/temp@@M@${bad}/invocations`, [400]],
  ]),
  ["a name starting with -", "/models/-@M@@production/invocations", [400]],
  ["a name starting with .", "/models/.@M@@production/invocations", [400]],
  ["an alias starting with _", "/models/temp@_@M@/invocations", [400]],
  ["version 0", "/models/temp/0/invocations?@M@", [400]],
  ["version -1", "/models/temp/-1/invocations?@M@", [400]],
  ["version 1e0", "/models/temp/1e0/invocations?@M@", [400]],
  ["version 1.0", "/models/temp/1.0/invocations?@M@", [400]],
  ["version 0x1", "/models/temp/0x1/invocations?@M@", [400]],
  ["a 16-digit version", `/models/temp/${"9".repeat(16)}/invocations?@M@`, [400]],
  ["a version that is the marker", "/models/temp/@M@/invocations", [400]],
  ["an unknown model by alias", "/models/@M@@production/invocations", [404]],
  ["an unknown model by version", "/models/@M@/1/invocations", [404]],
  ["an unknown alias", "/models/temp@@M@/invocations", [404]],
  ["an unknown alias of tw", "/models/tw@@M@staging/invocations", [404]],
  ["an unregistered version", "/models/temp/2/invocations?@M@", [404]],
  ["a 15-digit version", "/models/temp/999999999999999/invocations?@M@", [404]],
  ["an empty name", "/models/@production/invocations?@M@", [404]],
  ["an empty alias", "/models/temp@/invocations?@M@", [404]],
  ["an empty name before a version", "/models//1/invocations?@M@", [404]],
  ["an empty version", "/models/temp//invocations?@M@", [404]],
  ["a double slash before invocations", "/models/temp@production//invocations?@M@", [404]],
  ["a trailing slash", "/models/temp@production/invocations/?@M@", [404]],
  ["a double slash after models", "/models//temp@production/invocations?@M@", [404]],
  ["a leading double slash (an authority, to URL parsers)", "//models/temp@production/invocations?@M@", [404]],
  ["a leading triple slash", "///@M@/temp@production/invocations", [404]],
  ["a segment after invocations", "/models/temp@production/invocations/@M@", [404]],
  ["a segment instead of invocations", "/models/temp@production/@M@", [404]],
  ["a parameter after invocations", "/models/temp@production/invocations;@M@", [404]],
  ["invocations in capitals", "/models/temp@production/INVOCATIONS?@M@", [404]],
  ["models in capitals", "/Models/temp@production/invocations?@M@", [404]],
  ["an unknown route", "/@M@", [404]],
  ["a route that only resembles one", "/models/@M@", [404]],
  ["/models alone", "/models?@M@", [404]],
  ["/models/ alone", "/models/?@M@", [404]],
  ["/ alone", "/?@M@", [404]],
  ["%2e%2e segments out of /models", "/models/%2e%2e/%2e%2e/.git/config?@M@", [404]],
  ["../ segments out of the root", "/../../../@M@/etc/passwd", [404]],
  ["an encoded @ (the path names a version, so it is metadata)", "/models/temp%40production/invocations?@M@", [400, 404, 405]],
  // spellings that URL parsers resolve to a served path; whether dw resolves them is not decided anywhere
  ["a .. segment that resolves to a served path", "/models/@M@/../temp@production/invocations", [200, 400, 404]],
  ["backslashes for slashes", "/models\\temp@production\\invocations?@M@", [200, 400, 404]],
  ["a query string (ignored)", "/models/temp@production/invocations?@M@=1", [200]],
  ["a query string with malformed percent-encoding (ignored)", "/models/temp/1/invocations?x=%ZZ@M@&y=%", [200]],
  ["a 10,000-character query string (ignored)", `/models/temp@production/invocations?@M@=${"q".repeat(10_000)}`, [200]],
  ["a percent-encoded valid name", "/models/%74emp@production/invocations?@M@", [200]],
  // RFC 9112 §3.2.2: an origin server takes the host from an absolute-form target, not the Host header
  ["an absolute-form target naming another host", "http://evil.@M@.example/models/temp@production/invocations", [403]],
];

function pathCase(g: Rng, m: string, port: number): Case {
  const body = splitBody([...NUMERIC, m], [["0.5", "5", "4.7", "1"]]);
  if (g.chance(0.04))
    return post("paths", "an absolute-form target naming this server", `http://127.0.0.1:${port}/models/temp@production/invocations?${m}`, body, [200], 1);
  if (g.chance(0.15)) {
    // the metadata route, GET, with the names and aliases of the scoring paths: the same answers
    const [what, path, expect] = g.pick(PATHS.filter(([, p]) => /^\/models\/[^/]+(@[^/]+|\/[^/]+)\/invocations(\?.*)?$/.test(p)));
    return {
      category: "paths",
      what: `metadata: ${what}`,
      method: "GET",
      path: withMarker(path.replace("/invocations", ""), m),
      headers: {},
      expect,
      ok: "metadata",
    };
  }
  const [what, path, expect] = g.pick(PATHS);
  return post("paths", what, withMarker(path, m), body, expect, 1);
}

// ---------------------------------------------------------------------------------------------
// Formats: CSV bodies and `inputs` (docs/architecture.md, "Formats")

const CSV_TYPES = ["text/csv", "application/csv", "text/csv; charset=utf-8"];

function formatCase(g: Rng, m: string): Case {
  const model: Model = g.chance(0.5) ? "tw" : "temp";
  const cols = columnsOf(model);
  const n = g.int(1, 4);
  // CSV cells are text: a JSON string cell loses its quotes.
  const rows = validRows(g, cols, n).map((r) => r.map((v) => (v.startsWith('"') ? JSON.parse(v) : v)));
  const header = [...cols, m].join(",");
  const line = (r: string[]) => [...r, "1"].join(",");
  const csv = (text: string, expect: number[], what: string, rowsOut = n): Case => ({
    ...post("formats", what, scoringPath(g, model), text, expect, rowsOut, { "Content-Type": g.pick(CSV_TYPES) }),
  });
  const json = (text: string, expect: number[], what: string, rowsOut = n) => post("formats", what, scoringPath(g, model), text, expect, rowsOut);
  const variants: (() => Case)[] = [
    () => csv(`${header}\n${rows.map(line).join("\n")}\n`, [200], "CSV with an extra column"),
    () => csv(`${header}\r\n${rows.map(line).join("\r\n")}`, [200], "CSV with CRLF and no last line break"),
    () => csv(`${header}\n${rows.map((r) => line(r) + ",2").join("\n")}\n`, [400], "CSV rows longer than the header"),
    () => csv(`${header}\n${rows.map((r) => r.slice(1).join(",")).join("\n")}\n`, [400], "CSV rows shorter than the header"),
    () => csv(`${header}\n"${m}\n`, [400], "CSV with an unclosed quote"),
    () => csv(`${header}\n${m}"x,1\n`, [400], "CSV with a quote inside an unquoted field"),
    () => csv(`${header},${m}\n${rows.map((r) => line(r) + ",1").join("\n")}\n`, [400], "CSV repeating a header name"),
    () => csv(`${m}\n1\n`, [400], "CSV without the model's columns"),
    () => csv(`${cols.join(",")}\n${rows.map((r) => [m, ...r.slice(1)].join(",")).join("\n")}\n`, [400], "CSV with text in a number column"),
    () => csv("", [400], "an empty CSV body"),
    () => csv(`${cols.join(",")}\n`, [200], "CSV with a header and no rows", 0),
    () =>
      json(
        `{"inputs":{${[...cols, m].map((c, j) => `${q(c)}:[${rows.map((r) => (j < r.length ? (cols[j] === "weather" ? q(r[j]) : r[j]) : "1")).join(",")}]`).join(",")}}}`,
        [200],
        "inputs as columns with an extra one",
      ),
    () => json(`{"inputs":{${cols.map((c) => `${q(c)}:[1,2]`).join(",")},${q(m)}:[1]}}`, [400], "inputs as columns of different lengths"),
    () => json(`{"inputs":{${cols.map((c) => `${q(c)}:{${q(m)}:1}`).join(",")}}}`, [400], "inputs with a column that is an object"),
    () => json(`{"inputs":[[${rows[0].map(() => "1").join(",")}]],"params":{${q(m)}:1}}`, [400], "inputs as rows by position"),
    () => json(`{"instances":[1,{${q(m)}:1}]}`, [400], "instances mixing values and records"),
    () => json(`{"inputs":${q(m)}}`, [400], "inputs as a string"),
    () => json(`{"instances":${recordsList(cols, validRows(g, cols, n))},"params":${q(m)}}`, [400], "params that is not an object"),
  ];
  return g.pick(variants)();
}

// ---------------------------------------------------------------------------------------------
// The status and metrics routes

function routeCase(g: Rng, m: string): Case {
  const path = g.pick(["/status", "/metrics"]);
  const ok = path === "/status" ? "status" : "metrics";
  const variants: (() => Case)[] = [
    () => ({ category: "routes", what: `GET ${path} with a query`, method: "GET", path: `${path}?${m}=%ZZ`, headers: {}, expect: [200], ok }),
    () => ({
      category: "routes",
      what: `POST, PUT or DELETE on ${path}`,
      method: g.pick(["POST", "PUT", "DELETE"]),
      path,
      headers: { ...JSON_TYPE, "Content-Length": String(m.length + 2) },
      body: q(m),
      expect: [405],
    }),
    () => ({ category: "routes", what: `${path} with a trailing segment`, method: "GET", path: `${path}/${m}`, headers: {}, expect: [404] }),
    () => ({ category: "routes", what: `${path} with a percent-encoded name`, method: "GET", path: `${path}%2F${m}`, headers: {}, expect: [404] }),
  ];
  return g.pick(variants)();
}

// ---------------------------------------------------------------------------------------------
// Methods

function methodCase(g: Rng, m: string): Case {
  const model: Model = g.chance(0.5) ? "tw" : "temp";
  const scoring = scoringPath(g, model);
  const metadata = scoring.replace("/invocations", "");
  const body = recordsBody([...columnsOf(model), m], [[...validRow(g, columnsOf(model)), "1"]]);
  // with its length: Node's client sends a DELETE's body unframed, which the server rightly reads as a second, invalid request
  const sized = { ...JSON_TYPE, "Content-Length": String(Buffer.byteLength(body)) };
  const variants: (() => Case)[] = [
    () => ({
      category: "methods",
      what: "PUT, PATCH or DELETE on invocations",
      method: g.pick(["PUT", "PATCH", "DELETE"]),
      path: scoring,
      headers: sized,
      body,
      expect: [405],
    }),
    () => ({
      category: "methods",
      what: "OPTIONS, TRACE or GET on invocations",
      method: g.pick(["OPTIONS", "TRACE", "GET"]),
      path: `${scoring}?${m}`,
      headers: {},
      expect: [405],
    }),
    () => ({ category: "methods", what: "HEAD on invocations", method: "HEAD", path: `${scoring}?${m}`, headers: {}, expect: [405] }),
    () => ({
      category: "methods",
      what: "a WebDAV method on invocations",
      method: g.pick(["PROPFIND", "MKCOL", "LOCK", "SEARCH", "PURGE"]),
      path: scoring,
      headers: sized,
      body,
      expect: [405],
    }),
    () => ({
      category: "methods",
      what: "POST, PUT or DELETE on metadata",
      method: g.pick(["POST", "PUT", "DELETE"]),
      path: metadata,
      headers: sized,
      body,
      expect: [405],
    }),
    () => ({
      category: "methods",
      what: "POST, PUT or DELETE on /ping, /health or /version",
      method: g.pick(["POST", "PUT", "DELETE"]),
      path: `${g.pick(["/ping", "/health", "/version"])}?${m}`,
      headers: sized,
      body,
      expect: [405],
    }),
    () => ({ category: "methods", what: "an unknown method", method: m, path: scoring, headers: sized, body, expect: [400, 405, 501] }),
    () => ({ category: "methods", what: "HEAD on /ping (valid)", method: "HEAD", path: `/ping?${m}`, headers: {}, expect: [200] }),
    () => ({
      category: "methods",
      what: "a method override header (ignored)",
      method: "POST",
      path: scoring,
      headers: { ...sized, "X-HTTP-Method-Override": "DELETE", "X-Marker": m },
      body,
      expect: [200],
      rows: 1,
    }),
    () =>
      wire(
        "methods",
        "a method in lower case",
        `post ${scoring} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
        [400, 405, 501],
      ),
    () => wire("methods", "CONNECT", `CONNECT ${m}.example:443 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`, [400, 405]),
  ];
  return g.pick(variants)();
}

function wire(category: Category, what: string, text: string, expect: number[]): Case {
  return {
    category,
    what,
    method: text.slice(0, text.indexOf(" ")),
    path: text.slice(text.indexOf(" ") + 1, text.indexOf("\r\n")),
    headers: {},
    wire: Buffer.from(text, "latin1"),
    expect,
  };
}

// ---------------------------------------------------------------------------------------------
// Headers

function headerCase(g: Rng, m: string, port: number): Case {
  const model: Model = g.chance(0.5) ? "tw" : "temp";
  const scoring = scoringPath(g, model);
  const body = splitBody([...columnsOf(model), m], [[...validRow(g, columnsOf(model)), "1"]]);
  const anyRoute = (): Pick<Case, "method" | "path" | "body" | "rows" | "ok"> =>
    g.pick([
      { method: "POST", path: scoring, body, rows: 1 },
      { method: "GET", path: "/ping", ok: "text" as const },
      { method: "GET", path: scoring.replace("/invocations", ""), ok: "metadata" as const },
      { method: "GET", path: `/${m}` },
    ]);
  const hostileHosts = [
    `evil.${m}.example`,
    `evil.${m}.example:${port}`,
    m,
    `localhost.${m}`,
    `127.0.0.1.${m}.nip.io`,
    `localhost:${m}`,
    "[::1",
    `[::1]${m}`,
    "127.0.0.2",
    "0.0.0.0",
    `${m}@127.0.0.1`,
    `127.0.0.1:${port}@${m}`,
    "localhost.",
    "2130706433",
    "[::ffff:127.0.0.1]",
  ];
  const validHosts = ["localhost", `LOCALHOST:${port}`, "127.0.0.1", `[::1]:${port}`, `localhost:${port}`];
  const badTypes = [
    "text/plain",
    "text/json",
    `application/json${m}`,
    `application/json+${m}`,
    "application/x-www-form-urlencoded",
    `multipart/form-data; boundary=${m}`,
    `application/json; ${m}=1`,
    "application/json;",
    "*/*",
    "application/*",
    `${m}/json`,
    "",
  ];
  const goodTypes = ["application/json; charset=utf-8", "APPLICATION/JSON", 'application/json;charset="UTF-8"', "application/json ; charset=utf-8"];
  const request = (what: string, headers: Record<string, string>, expect: number[]): Case => ({
    category: "headers",
    what,
    ...anyRoute(),
    headers: { ...JSON_TYPE, ...headers },
    expect,
  });
  const sent = `POST ${scoring} HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n`;
  const variants: (() => Case)[] = [
    () => request("a Host header of another site", { Host: g.pick(hostileHosts) }, [403]),
    () => {
      const c = request("a Host header naming this server (valid)", { Host: g.pick(validHosts) }, [200]);
      return { ...c, expect: c.path === `/${m}` ? [404] : [200] };
    },
    () => post("headers", "an unsupported content type", scoring, body, [415], 1, { "Content-Type": g.pick(badTypes) }),
    () => post("headers", "no content type", scoring, body, [415], 1, {}),
    () => post("headers", "application/json spelled otherwise (valid)", scoring, body, [200], 1, { "Content-Type": g.pick(goodTypes) }),
    () => post("headers", "Expect: 100-continue (valid)", scoring, body, [200], 1, { ...JSON_TYPE, Expect: "100-continue" }),
    () => post("headers", "an unknown Expect", scoring, body, [400, 417], 1, { ...JSON_TYPE, Expect: m }),
    () =>
      post("headers", "a hundred unknown headers (ignored)", scoring, body, [200], 1, {
        ...JSON_TYPE,
        ...Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`X-${m}-${i}`, m])),
      }),
    () => post("headers", "headers beyond 16 KB", scoring, body, [400, 431], 1, { ...JSON_TYPE, "X-Big": m + "h".repeat(20_000) }),
    () => wire("headers", "HTTP/1.1 without a Host header", `${sent}X-Marker: ${m}\r\n\r\n${body}`, [400]),
    () => ({
      ...wire("headers", "HTTP/1.0 without a Host header (valid)", `${sent.replace("HTTP/1.1", "HTTP/1.0")}X-Marker: ${m}\r\n\r\n${body}`, [200]),
      rows: 1,
    }),
    // RFC 9112 §3.2: a request with more than one Host header is a 400
    () =>
      wire("headers", "two Host headers, the second of another site", `${sent}Host: 127.0.0.1:${port}\r\nHost: evil.${m}.example\r\n\r\n${body}`, [400, 403]),
    () =>
      wire("headers", "two Host headers, the first of another site", `${sent}Host: evil.${m}.example\r\nHost: 127.0.0.1:${port}\r\n\r\n${body}`, [400, 403]),
    () => wire("headers", "a request line that is not HTTP", `${m} ${m} ${m}\r\n\r\n`, [400]),
    () => wire("headers", "a control character in a header name", `GET /ping HTTP/1.1\r\nHost: 127.0.0.1\r\nX-${m}\u0001: 1\r\n\r\n`, [400]),
    () =>
      wire(
        "headers",
        "Content-Length and Transfer-Encoding together",
        `POST ${scoring} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n${m}`,
        [400],
      ),
    () =>
      wire(
        "headers",
        "a Content-Length that is not a number",
        `POST ${scoring} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${m}\r\n\r\n${body}`,
        [400],
      ),
    () =>
      wire(
        "headers",
        "a negative Content-Length",
        `POST ${scoring} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: -1\r\nX-Marker: ${m}\r\n\r\n${body}`,
        [400],
      ),
    () =>
      wire(
        "headers",
        "a Transfer-Encoding other than chunked",
        `POST ${scoring} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: ${m}\r\n\r\n${body}`,
        [400, 501],
      ),
    () => wire("headers", "an obsolete folded header line", `GET /ping HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: 1\r\n  ${m}\r\n\r\n`, [400]),
    () => wire("headers", "HTTP/9.9", `GET /ping?${m} HTTP/9.9\r\nHost: 127.0.0.1\r\n\r\n`, [400, 505]),
    () => wire("headers", "a NUL in the request target", `GET /ping\u0000${m} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`, [400]),
  ];
  return g.pick(variants)();
}

// ---------------------------------------------------------------------------------------------
// Sending and checking

/** Writes bytes to a fresh connection and reads one answer (or reports that none came). */
function sendWire(base: string, bytes: Buffer, timeoutMs: number): Promise<RawResponse> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port), url.hostname);
    const chunks: Buffer[] = [];
    let settled = false;
    const settle = (closed: boolean, err?: Error) => {
      if (settled) return;
      const r = parseAnswer(Buffer.concat(chunks), closed);
      if (!r && !closed) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (r) resolve(r);
      else reject(err ?? new Error("the connection closed without an answer"));
    };
    const timer = setTimeout(() => {
      settled = true;
      socket.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on("data", (c: Buffer) => {
      chunks.push(c);
      settle(false);
    });
    socket.on("end", () => settle(true));
    socket.on("close", () => settle(true));
    socket.on("error", (e) => settle(true, e));
    socket.write(bytes);
  });
}

function parseAnswer(buf: Buffer, closed: boolean): RawResponse | null {
  const end = buf.indexOf("\r\n\r\n");
  if (end < 0) return null;
  const [status, ...lines] = buf.subarray(0, end).toString("latin1").split("\r\n");
  const headers: Record<string, string> = {};
  for (const l of lines) headers[l.slice(0, l.indexOf(":")).trim().toLowerCase()] = l.slice(l.indexOf(":") + 1).trim();
  let body = buf.subarray(end + 4);
  if (headers["content-length"] !== undefined) {
    if (body.length < Number(headers["content-length"])) return closed ? { status: 0, headers, body: "" } : null;
    body = body.subarray(0, Number(headers["content-length"]));
  } else if (!closed) {
    if (!(headers["transfer-encoding"] === "chunked" && body.includes("0\r\n\r\n"))) return null;
  }
  if (headers["transfer-encoding"] === "chunked") {
    const parts: Buffer[] = [];
    for (let at = 0; at < body.length; ) {
      const eol = body.indexOf("\r\n", at);
      const size = parseInt(body.subarray(at, eol).toString("latin1"), 16);
      if (!(size > 0)) break;
      parts.push(body.subarray(eol + 2, eol + 2 + size));
      at = eol + 2 + size + 2;
    }
    body = Buffer.concat(parts);
  }
  return { status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(status)?.[1] ?? 0), headers, body: body.toString("utf8") };
}

function send(base: string, c: Case): Promise<RawResponse> {
  if (c.wire) return sendWire(base, c.wire, LIMIT_MS * 2);
  return rawRequest(base, { method: c.method, path: c.path, headers: c.headers, body: c.body, timeoutMs: LIMIT_MS * 2 });
}

/** What is wrong with an answer; nothing for a right one. */
function problems(c: Case, r: RawResponse | Error, ms: number): string[] {
  if (r instanceof Error) return [`no answer (${r.message})`];
  const out: string[] = [];
  if (ms > LIMIT_MS) out.push(`answered after more than ${LIMIT_MS} ms`);
  if (!c.expect.includes(r.status)) out.push(`status ${r.status}, expected ${c.expect.join(" or ")}`);
  const seen = (r.body + JSON.stringify(r.headers)).replace(/\\u0000|\u0000/g, "");
  if (ECHO.test(seen)) out.push("the answer repeats the request's marker");
  try {
    assertNoStack(r.body);
  } catch {
    out.push("the answer holds a stack trace");
  }
  if (c.method === "HEAD" || !c.expect.includes(r.status)) return out;
  let json: { error_code?: unknown; message?: unknown; predictions?: unknown; name?: unknown; version?: unknown } | undefined;
  try {
    json = JSON.parse(r.body);
  } catch {
    json = undefined;
  }
  if (r.status !== 200) {
    if (!(json && typeof json.error_code === "string" && typeof json.message === "string")) out.push("the answer is not JSON with error_code and message");
  } else if ((c.ok ?? "predictions") === "predictions") {
    const p = json?.predictions;
    if (!Array.isArray(p) || p.length !== c.rows || !p.every((v: unknown) => typeof v === "number" && Number.isFinite(v)))
      out.push(`expected ${c.rows} finite predictions`);
  } else if (c.ok === "metadata") {
    if (typeof json?.name !== "string" || !Number.isSafeInteger(json?.version)) out.push("expected a model's metadata");
  } else if (c.ok === "status") {
    if (!Array.isArray((json as { endpoints?: unknown } | undefined)?.endpoints)) out.push("expected /status's endpoints");
  } else if (c.ok === "metrics") {
    if (!/^# HELP dw_/m.test(r.body)) out.push("expected Prometheus text");
  } else if (r.body !== "\n") out.push("expected /ping's answer");
  return out;
}

const clip = (s: string, n = 160) => (s.length > n ? `${s.slice(0, n)}… (${s.length} chars)` : s);

function describe(c: Case, r: RawResponse | Error): string {
  const req = c.wire
    ? `raw bytes ${JSON.stringify(clip(c.wire.toString("latin1"), 300))}`
    : `${c.method} ${clip(c.path, 200)} headers ${clip(JSON.stringify(c.headers), 200)}` +
      (c.body === undefined
        ? ""
        : ` body ${typeof c.body === "string" ? JSON.stringify(clip(c.body, 300)) : `bytes ${JSON.stringify(clip(c.body.toString("latin1"), 300))}`}`);
  const ans = r instanceof Error ? `no answer: ${r.message}` : `${r.status} ${clip(r.body, 300)}`;
  return `${req}\n      → ${ans}`;
}

// ---------------------------------------------------------------------------------------------

let served: ServedWorkspace;
let pid: number;
let lin: Linear;
const TEMP = "/models/temp@production/invocations";
const TW = "/models/tw@production/invocations";
const BASELINE_ROWS = [
  [0, 5, 4.7, "sun"],
  [12.5, -2.1, 7.3, "rain"],
  [0.3, 18, 1.2, "fog"],
];
const baselineBody = (model: Model) => ({
  dataframe_split: { columns: columnsOf(model), data: BASELINE_ROWS.map((r) => r.slice(0, columnsOf(model).length)) },
});
let baseline: { temp: unknown; tw: unknown };

before(async () => {
  served = await servedWorkspace();
  pid = JSON.parse(await readFile(join(served.tw.dir, ".dw", "server.json"), "utf8")).pid;
  const temp = await score(served.base, TEMP, baselineBody("temp"));
  const tw = await score(served.base, TW, baselineBody("tw"));
  assert.equal(temp.status, 200, temp.text);
  assert.equal(tw.status, 200, tw.text);
  baseline = { temp: temp.json, tw: tw.json };
  // temp is linear: its intercept and slopes, to compute which extreme rows overflow
  const unit = await score(served.base, TEMP, {
    dataframe_split: {
      columns: NUMERIC,
      data: [
        [0, 0, 0],
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ],
    },
  });
  assert.equal(unit.status, 200, unit.text);
  const [p0, ...pj] = unit.json.predictions as number[];
  lin = { intercept: p0, slopes: pj.map((p) => p - p0) };
});

after(async () => {
  await served?.tw.cleanup();
});

test(`at least 1,000 generated hostile requests get their 4xx, JSON without echo or stack trace, each within ${LIMIT_MS / 1000} s`, {
  timeout: 300_000,
}, async (t) => {
  const g = rng(SEED);
  let counter = 0;
  const marker = () => `QZX${String(++counter).padStart(5, "0")}`;
  const port = Number(new URL(served.base).port);
  const cases: Case[] = [];
  for (let i = 0; i < COUNTS.shapes; i++) cases.push(shapeCase(g, marker()));
  for (let i = 0; i < COUNTS.values; i++) cases.push(g.chance(0.12) ? extremeCase(g, marker(), lin) : valueCase(g, marker()));
  for (let i = 0; i < COUNTS.nesting; i++) cases.push(nestingCase(g, marker()));
  for (let i = 0; i < COUNTS.encodings; i++) cases.push(encodingCase(g, marker()));
  for (let i = 0; i < COUNTS.paths; i++) cases.push(pathCase(g, marker(), port));
  for (let i = 0; i < COUNTS.methods; i++) cases.push(methodCase(g, marker()));
  for (let i = 0; i < COUNTS.headers; i++) cases.push(headerCase(g, marker(), port));
  for (let i = 0; i < COUNTS.formats; i++) cases.push(formatCase(g, marker()));
  for (let i = 0; i < COUNTS.routes; i++) cases.push(routeCase(g, marker()));
  cases.push(...sizeCases(g, marker));
  // interleave the categories, so that a request that damages state shows in the ones after it
  for (let i = cases.length - 1; i > 0; i--) {
    const j = g.int(0, i);
    [cases[i], cases[j]] = [cases[j], cases[i]];
  }
  assert.ok(cases.length >= 1_000, `only ${cases.length} cases`);

  const failures = new Map<string, { count: number; problems: Set<string>; example: string }>();
  const statuses = new Map<Category, Map<number | string, number>>();
  let slowest = { ms: 0, what: "" };
  const started = performance.now();
  for (const c of cases) {
    const t0 = performance.now();
    const ping = c.withPing
      ? new Promise((r) => setTimeout(r, 30)).then(async () => {
          const p0 = performance.now();
          const r = await rawRequest(served.base, { path: "/ping", timeoutMs: LIMIT_MS * 2 }).catch((e: Error) => e);
          return { r, ms: performance.now() - p0 };
        })
      : null;
    const r = await send(served.base, c).catch((e: Error) => e);
    const ms = Math.round(performance.now() - t0);
    const found = problems(c, r, ms);
    if (ping) {
      const p = await ping;
      if (p.r instanceof Error || p.r.status !== 200 || p.ms > LIMIT_MS)
        found.push(`a /ping sent meanwhile got ${p.r instanceof Error ? p.r.message : p.r.status} after ${Math.round(p.ms)} ms`);
    }
    if (ms > slowest.ms) slowest = { ms, what: `${c.category}: ${c.what}` };
    const byStatus = statuses.get(c.category) ?? new Map<number | string, number>();
    const key = r instanceof Error ? "none" : r.status;
    byStatus.set(key, (byStatus.get(key) ?? 0) + 1);
    statuses.set(c.category, byStatus);
    if (found.length) {
      const id = `${c.category}: ${c.what}`;
      const f = failures.get(id) ?? { count: 0, problems: new Set<string>(), example: describe(c, r) };
      f.count++;
      for (const p of found) f.problems.add(p);
      failures.set(id, f);
    }
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const perCategory = [...statuses].map(
    ([cat, byStatus]) =>
      `${cat} ${[...byStatus.values()].reduce((a, b) => a + b, 0)} (${[...byStatus]
        .sort((a, b) => String(a[0]).localeCompare(String(b[0])))
        .map(([s, n]) => `${s}×${n}`)
        .join(" ")})`,
  );
  console.log(
    `hostile requests: ${cases.length} in ${seconds} s, seed ${SEED}; ${perCategory.join("; ")}; slowest ${slowest.ms} ms (${slowest.what}); ${failures.size} failing variants`,
  );
  // What the barrage left: checked here, as a subtest, since alone it would check nothing.
  await t.test("after the barrage the same server answers /ping, scores as before and logged no stack trace", afterTheBarrage);
  const report = [...failures].map(([id, f]) => `  ${id} ×${f.count}: ${[...f.problems].join("; ")}\n      e.g. ${f.example}`);
  assert.equal(failures.size, 0, `${failures.size} variants of hostile request were answered wrongly:\n${report.join("\n")}`);
});

async function afterTheBarrage(): Promise<void> {
  assert.doesNotThrow(() => process.kill(pid, 0), "the dw serve process is gone");
  assert.equal(JSON.parse(await readFile(join(served.tw.dir, ".dw", "server.json"), "utf8")).pid, pid, "another dw serve took over");
  const ping = await rawRequest(served.base, { path: "/ping", timeoutMs: LIMIT_MS });
  assert.equal(ping.status, 200);
  const temp = await score(served.base, TEMP, baselineBody("temp"));
  const tw = await score(served.base, TW, baselineBody("tw"));
  assert.deepEqual({ temp: temp.json, tw: tw.json }, baseline);
  const log = await readFile(join(served.tw.dir, ".dw", "server.log"), "utf8").catch(() => "");
  const stackLines = log.split("\n").filter((l) => /at [\w.<>]+ \(|\.js:\d+:\d+|node:internal/.test(l));
  assert.deepEqual(stackLines.slice(0, 5), [], "stack trace lines in .dw/server.log");
  assertNoStack(log);
}
