import { coerceValue, type Scope } from "../../src/adapters/coerceInput.js";
import { findTool } from "../../src/adapters/findTool.js";
import { readFlags, type FlagValue, type Word } from "../../src/adapters/parseFlags.js";
import type { ValueCatalog } from "../../src/adapters/readValueCatalog.js";
import { toolFields, type ToolField, type ToolFields } from "../../src/adapters/toolFields.js";
import type { ToolDef } from "../../src/index.js";
import { completeValues } from "./completeValues.js";
import { tokenize } from "./parseMagicLine.js";

export interface MagicCompletion {
  start: number;
  end: number;
  matches: string[];
}

/** Where flag values come from: the workspace's names and the kernel's variables. */
export interface ValueContext {
  /** Asked only when a value is completed from the workspace (not for a flag name or an enum). */
  catalog(): Promise<ValueCatalog>;
  scope(): Scope;
}

/**
 * Completion inside a `%dw` or `%%dw` line: tool names after `%dw `, flag names after `--`, and a
 * flag's values: the schema's choices (`--algorithm`, `--task`, true/false) and the workspace's datasets, the columns of the dataset named on the line, runs, registered models
 * (`name@alias`, `name/version`), aliases, versions, experiments and pipelines.
 * Returns undefined when the cursor is not in a magic line, so TypeScript completion applies.
 *
 * @example
 * await completeMagic("%dw train_model --algorithm ran", 31, tools, values); // { start: 28, end: 31, matches: ["random_forest"] }
 */
export async function completeMagic(code: string, cursor: number, tools: readonly ToolDef[], values: ValueContext): Promise<MagicCompletion | undefined> {
  const lineStart = code.lastIndexOf("\n", cursor - 1) + 1;
  const before = code.slice(lineStart, cursor);
  const m = /^(\s*%%?dw)(\s+.*)?$/.exec(before);
  if (!m) return undefined;
  const rest = m[2] ?? "";
  const restStart = cursor - rest.length;
  const words = scanWords(rest);
  // The word at the cursor: the last one unless a blank follows it.
  const current = words.at(-1)?.end === rest.length ? words.pop()! : { raw: "", start: rest.length, end: rest.length, open: false };
  const start = restStart + current.start;
  const none = { start, end: cursor, matches: [] };
  const names = (matches: string[]) => ({ start, end: cursor, matches: matches.filter((n) => n.startsWith(current.raw)) });
  if (words.length === 0) return names(["help", ...tools.map((t) => t.name)]);
  if (words[0].raw === "help") return words.length === 1 ? names(tools.map((t) => t.name)) : none;

  const tool = findTool(tools, words[0].raw);
  if (!tool) return none;
  const t = fieldsOf(tool);
  const raw = current.raw;
  if (raw.startsWith("-") && !raw.includes("=")) {
    return names([...t.fields.flatMap((f) => [f.name, ...f.aliases]), "as", "help"].map((f) => `--${f}`));
  }
  // The rest of the line after the cursor may name the dataset or model too (`--target | --data wine`).
  const lineEnd = code.indexOf("\n", cursor);
  const after = code.slice(cursor, lineEnd < 0 ? code.length : lineEnd).replace(/^\S*/, "");
  const target = valueTarget(t, words.slice(1), raw, after);
  if (!target) return none;
  const scope = values.scope();
  const req = { tool: t, field: target.field, raw: target.raw, given: target.given(scope), scope };
  const c = await completeValues(req, values.catalog);
  return { start: cursor - target.raw.length + c.offset, end: cursor, matches: c.matches };
}

interface RawWord {
  raw: string;
  start: number;
  end: number;
  /** The word opens a quote it does not close (only the word at the cursor can). */
  open: boolean;
}

/** Splits at blanks outside quotes, keeping each word as typed and where it starts. */
function scanWords(text: string): RawWord[] {
  const out: RawWord[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i])) i++;
    if (i >= text.length) break;
    const start = i;
    let open = false;
    while (i < text.length && !/\s/.test(text[i])) {
      const q = text[i++];
      if (q !== "'" && q !== '"') continue;
      while (i < text.length && text[i] !== q) i += q === '"' && text[i] === "\\" ? 2 : 1;
      if (i >= text.length) open = true;
      i = Math.min(i + 1, text.length);
    }
    out.push({ raw: text.slice(start, i), start, end: i, open });
  }
  return out;
}

/**
 * The field the word at the cursor is a value of, read as the parser reads the whole line: the
 * value of the flag before it, of `--flag=` in it, or the tool's bare value. With it, the other
 * fields given on the line, coerced as the call would coerce them (each on its own, so one bad
 * value elsewhere does not stop completion).
 */
function valueTarget(
  t: ToolFields,
  before: RawWord[],
  raw: string,
  after: string,
): { field: ToolField; raw: string; given(scope: Scope): Record<string, unknown> } | undefined {
  let others: Word[];
  try {
    others = [...before.flatMap((w) => tokenize(w.raw)), ...tokenize(after)];
  } catch {
    return undefined;
  }
  const eq = raw.startsWith("--") ? raw.indexOf("=") : -1;
  const here: Word = { text: "", quoted: true, partlyQuoted: true };
  // Each word before the cursor is one token, so the word at the cursor goes in at index before.length.
  const words = eq >= 0 ? others : [...others.slice(0, before.length), here, ...others.slice(before.length)];
  let field: ToolField | undefined = eq >= 0 ? t.fieldForFlag(raw.slice(2, eq)) : undefined;
  const given: [ToolField, FlagValue, string][] = [];
  let positionals = 0;
  try {
    for (const item of readFlags(words)) {
      if ("positional" in item) {
        const f = positionals++ === 0 && t.positional ? t.field(t.positional) : undefined;
        if (item.positional === here) field = f;
        else if (f) given.push([f, item.positional, t.positional ?? f.name]);
        continue;
      }
      const f = t.fieldForFlag(item.flag.name);
      if (item.flag.value === here) field = f;
      else if (f && item.flag.value) given.push([f, item.flag.value, `--${item.flag.name}`]);
    }
  } catch {
    return undefined;
  }
  if (!field) return undefined;
  return {
    field,
    raw: eq >= 0 ? raw.slice(eq + 1) : raw,
    given(scope) {
      const out: Record<string, unknown> = {};
      for (const [f, w, label] of given) {
        try {
          out[f.name] = coerceValue(f, w, label, scope);
        } catch {
          // A value the call would refuse names nothing to complete from.
        }
      }
      return out;
    },
  };
}

const cache = new WeakMap<ToolDef, ToolFields>();
function fieldsOf(tool: ToolDef): ToolFields {
  let t = cache.get(tool);
  if (!t) {
    t = toolFields(tool);
    cache.set(tool, t);
  }
  return t;
}
