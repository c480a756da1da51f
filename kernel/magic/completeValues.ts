import { coerceValue, type Scope } from "../../src/adapters/coerceInput.js";
import type { ValueCatalog } from "../../src/adapters/readValueCatalog.js";
import type { ToolField, ToolFields } from "../../src/adapters/toolFields.js";
import { schemaValues, valueSourcesOf, type ValueSource } from "../../src/adapters/valueSources.js";
import { tokenize } from "./parseMagicLine.js";

/** A flag value being completed on a `%dw` line. */
export interface ValueRequest {
  tool: ToolFields;
  field: ToolField;
  /** The value as typed up to the cursor, quotes included. */
  raw: string;
  /** The other fields given on the line, as the call would get them (kernel variables resolved). */
  given: Readonly<Record<string, unknown>>;
  /** Kernel variables: a bare word naming one would read as the variable, so such a value is quoted. */
  scope: Scope;
}

/** Matches replace `raw` from `offset` on (after the last comma of a list). */
export interface ValueCompletion {
  offset: number;
  matches: string[];
}

/**
 * The values the field can take that start with what is typed (case aside), each written as the
 * `%dw` parser reads it back: quoted when it has a space or a quote, or would otherwise read as a
 * kernel variable or a flag. A list (`--features a,b,`) completes the part after the last comma and
 * leaves out the items already listed (and, for features, the target).
 *
 * @example
 * await completeValues({ tool, field: tool.field("algorithm")!, raw: "ran", given: {}, scope: {} }, async () => readValueCatalog(ws));
 * // { offset: 0, matches: ["random_forest"] }
 */
export async function completeValues(req: ValueRequest, catalog: () => Promise<ValueCatalog>): Promise<ValueCompletion> {
  const { field, raw } = req;
  const isList = field.kind === "array";
  if (isList && raw.trimStart().startsWith("[")) return { offset: 0, matches: [] };
  const offset = isList ? lastCommaOutsideQuotes(raw) + 1 : 0;
  const itemRaw = raw.slice(offset);
  const listed = new Set(
    offset > 0
      ? readText(raw.slice(0, offset - 1))
          .split(",")
          .map((s) => s.trim())
      : [],
  );
  if (isList && req.field.name === "features" && typeof req.given.target === "string") listed.add(req.given.target);
  const typed = unquote(itemRaw).toLowerCase();
  const quote = itemRaw.startsWith("'") || itemRaw.startsWith('"') ? itemRaw[0] : undefined;

  const candidates = [...(await sourceValues(req, catalog, typed)), ...schemaValues(field)];
  const matches: string[] = [];
  const seen = new Set<string>();
  for (const value of candidates) {
    if (seen.has(value) || listed.has(value) || !value.toLowerCase().startsWith(typed)) continue;
    seen.add(value);
    if (isList && value.includes(",")) continue; // a list item cannot hold a comma in the a,b,c syntax
    matches.push(quote || !readsBare(value, req, offset === 0) ? quoted(value, quote) : value);
  }
  return { offset, matches };
}

async function sourceValues(req: ValueRequest, catalog: () => Promise<ValueCatalog>, typed: string): Promise<string[]> {
  const sources = valueSourcesOf(req.tool.tool.name, req.field);
  if (sources.length === 0) return [];
  // A workspace that cannot be opened (a broken .git) has no names to offer; the schema's choices still apply.
  const c = await catalog().catch(() => undefined);
  if (!c) return [];
  const out: string[] = [];
  for (const source of sources) out.push(...(await valuesOf(source, req, c, typed)));
  return out;
}

async function valuesOf(source: ValueSource, req: ValueRequest, catalog: ValueCatalog, typed: string): Promise<string[]> {
  const model = modelOnLine(req.given);
  switch (source) {
    case "dataset":
      return catalog.datasets();
    case "column": {
      const dataset = req.given.dataset_id;
      return typeof dataset === "string" ? catalog.columns(dataset) : [];
    }
    case "run":
      return catalog.runs();
    case "model_name":
      return (await catalog.models()).map((m) => m.name);
    case "model_version":
      return (await catalog.models()).flatMap((m) => m.versions.map((v) => `${m.name}/${v}`));
    case "model_alias": {
      const out: string[] = [];
      // Aliases are read per model (each a few refs): only for the models the typed text can still name.
      for (const m of await catalog.models()) {
        const head = `${m.name}@`.toLowerCase();
        if (!head.startsWith(typed) && !typed.startsWith(head)) continue;
        out.push(...Object.keys(await catalog.aliases(m.name)).map((a) => `${m.name}@${a}`));
      }
      return out;
    }
    case "alias": {
      const names = model ? [model] : (await catalog.models()).map((m) => m.name);
      const aliases = new Set<string>();
      for (const name of names) for (const a of Object.keys(await catalog.aliases(name))) aliases.add(a);
      const fallback = req.field.schema.default;
      return [...[...aliases].sort(), ...(typeof fallback === "string" ? [fallback] : [])];
    }
    case "version": {
      const found = model ? (await catalog.models()).find((m) => m.name === model) : undefined;
      return (found?.versions ?? []).map(String);
    }
    case "experiment":
      return catalog.experiments();
    case "pipeline":
      return catalog.pipelines();
  }
}

/** The registered model the line names: its model_name, else the name in a model id (`name@alias`, `name/3`). */
function modelOnLine(given: Readonly<Record<string, unknown>>): string | undefined {
  if (typeof given.model_name === "string") return given.model_name;
  for (const key of ["model_a_id", "model_b_id", "model_id"]) {
    const id = given[key];
    const m = typeof id === "string" ? /^([^@/]+)[@/]/.exec(id) : null;
    if (m) return m[1];
  }
  return undefined;
}

/**
 * Whether `value`, typed bare, reads back as itself: one word, not a flag, and (where the whole
 * word is this value) neither a kernel variable nor a path into one. Asked of the parser itself,
 * so completion and the call agree.
 */
function readsBare(value: string, req: ValueRequest, wholeWord: boolean): boolean {
  let words: ReturnType<typeof tokenize>;
  try {
    words = tokenize(value);
  } catch {
    return false;
  }
  if (words.length !== 1 || words[0].text !== value || words[0].partlyQuoted) return false;
  if (!wholeWord) return true;
  if (value.startsWith("-")) return false;
  try {
    const bare = coerceValue(req.field, { text: value, quoted: false }, "value", req.scope);
    const literal = coerceValue(req.field, { text: value, quoted: true }, "value", undefined);
    return JSON.stringify(bare) === JSON.stringify(literal);
  } catch {
    return false;
  }
}

/** `value` in quotes: single ones unless it holds one (or the user opened a double quote), else double with `"` and `\` escaped. */
function quoted(value: string, opened: string | undefined): string {
  if (opened !== '"' && !value.includes("'")) return `'${value}'`;
  return `"${value.replace(/[\\"]/g, "\\$&")}"`;
}

/** The text a complete word stands for, or "" when it is not one word. */
function readText(raw: string): string {
  try {
    return tokenize(raw)[0]?.text ?? "";
  } catch {
    return "";
  }
}

/** What a value typed so far says, its opening quote (closed or not) taken off. */
function unquote(raw: string): string {
  const q = raw[0];
  if (q !== "'" && q !== '"') return readText(raw);
  let text = "";
  for (let i = 1; i < raw.length && raw[i] !== q; i++) {
    if (q === '"' && raw[i] === "\\" && i + 1 < raw.length) i++;
    text += raw[i];
  }
  return text;
}

/** Index of the last comma not inside quotes, or -1. */
function lastCommaOutsideQuotes(raw: string): number {
  let last = -1;
  let q: string | undefined;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (q) {
      if (q === '"' && c === "\\") i++;
      else if (c === q) q = undefined;
    } else if (c === "'" || c === '"') q = c;
    else if (c === ",") last = i;
  }
  return last;
}
