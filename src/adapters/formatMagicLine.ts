import { MagicError } from "./MagicError.js";
import { kindOf, type FieldSchema } from "./fieldKind.js";

/** A JSON Schema node of a tool's input, as much as the flag syntax needs (a tool's `input_schema` in schema/tools/<name>.json). */
export type MagicFieldSchema = FieldSchema;

/** A tool as its schema document names it: the wire name and the input's JSON Schema. */
export interface MagicToolSchema {
  name: string;
  input_schema: { properties?: Record<string, MagicFieldSchema> };
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const PATH = /^[A-Za-z_$][A-Za-z0-9_$]*(\.([A-Za-z_$][A-Za-z0-9_$]*|\d+))+$/;
/** Words JavaScript reserves, so no kernel variable can hold them and they stay literal when bare. */
const LITERALS = new Set(["true", "false", "null"]);

/**
 * The `%dw` line that calls `tool` with `input`: `%dw train_model --dataset_id 'wine' --target
 * 'quality' --max_depth 4`. Written for the kernel's own parser (kernel/magic/parseMagicLine.ts and
 * src/adapters/coerceInput.ts), so running the line gives the tool this same input back, whatever
 * variables the notebook holds: a word the kernel could read as a variable's name (`wine`,
 * `x.y`) is quoted, and quoted words are always literal text; text that a field of several types
 * would read as JSON (`"5"`) is written as JSON; lists of plain names read `a,b`, other lists and
 * objects are JSON. Every field goes by its full name (never a positional, never an alias).
 * Throws a MagicError when a text value holds a line break, which no `%dw` line can carry (a
 * `%%dw` cell with a JSON body can).
 *
 * @example
 * formatMagicLine(
 *   { name: "load_dataset", input_schema: { properties: { path: { type: "string" } } } },
 *   { path: "data/wine.csv" },
 * ); // "%dw load_dataset --path data/wine.csv"
 */
export function formatMagicLine(tool: MagicToolSchema, input: Readonly<Record<string, unknown>>): string {
  const properties = tool.input_schema.properties ?? {};
  const words = ["%dw", tool.name];
  for (const [name, value] of Object.entries(input)) {
    if (value === undefined) continue;
    if (name === "as") throw new MagicError(`${tool.name}'s field 'as' cannot be written as a flag: --as names the result's variable`);
    const schema = properties[name] ?? {};
    const kind = kindOf(schema);
    if (value === true && (kind === "boolean" || kind === "any")) {
      words.push(`--${name}`);
      continue;
    }
    words.push(`--${name}`, word(valueText(schema, value, name), name));
  }
  return words.join(" ");
}

/** The text of one value, before quoting, that the kernel coerces back to `value` for a field of this schema. */
function valueText(schema: MagicFieldSchema, value: unknown, name: string): string {
  const kind = kindOf(schema);
  if (typeof value === "string") {
    // A field of one type only (`string`) takes the text as it is; one of several types parses JSON first.
    if (kind === "string" || !parsesAsJson(value)) return value;
    return JSON.stringify(value);
  }
  if (typeof value === "number" || typeof value === "boolean" || value === null) return JSON.stringify(value);
  if (Array.isArray(value) && kind === "array" && schema.items && kindOf(schema.items) === "string" && isNameList(value)) return value.join(",");
  const json = JSON.stringify(value);
  if (json === undefined) throw new MagicError(`--${name}: ${typeof value} values cannot be written on a %dw line`);
  return json;
}

/** `a,b,c` reads back as these items: each a non-empty string without commas or surrounding blanks, the first not `[`. */
function isNameList(items: readonly unknown[]): items is string[] {
  if (items.length === 0) return false;
  if (typeof items[0] === "string" && items[0].startsWith("[")) return false;
  return items.every((s) => typeof s === "string" && s !== "" && s === s.trim() && !s.includes(",") && !/[\r\n]/.test(s));
}

function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** One word of the line: bare when the parser reads it back as literal text, else quoted. */
function word(text: string, name: string): string {
  if (/[\r\n]/.test(text)) {
    throw new MagicError(`--${name} holds a line break, which a %dw line cannot carry; use a %%dw cell whose body is the input as JSON`);
  }
  const bare = text !== "" && !/[\s'"]/.test(text) && !text.startsWith("--") && (LITERALS.has(text) || (!IDENTIFIER.test(text) && !PATH.test(text)));
  if (bare) return text;
  if (!text.includes("'")) return `'${text}'`;
  return `"${text.replace(/[\\"]/g, "\\$&")}"`;
}
