import { MagicError } from "./MagicError.js";
import type { Flag, FlagValue, ParsedFlags } from "./parseFlags.js";
import type { Syntax } from "./Syntax.js";
import { fieldTypeLabel, flagList, type FieldKind, type ToolField, type ToolFields } from "./toolFields.js";

/** Kernel variables a value may refer to, by name. */
export type Scope = Readonly<Record<string, unknown>>;

/** Where a call is coerced: the adapter's syntax, and the variables its values may name (none on the command line). */
export interface CoerceOptions {
  syntax: Syntax;
  /** Without a scope every value is literal text, as quoted values are in the kernel. */
  scope?: Scope;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const PATH = /^[A-Za-z_$][A-Za-z0-9_$]*(\.([A-Za-z_$][A-Za-z0-9_$]*|\d+))+$/;
/** `data.csv` is a file, not the field `csv` of a variable `data`. */
const FILE_EXTENSION = /\.(csv|tsv|txt|json|jsonl|ndjson|parquet|arrow|feather|xlsx?|ipynb|sql|ya?ml|md|ts|js|gz|zip)$/i;

/**
 * Checks what can be checked before the call runs (in the kernel, before the cell runs): the
 * flags exist and a bare word is allowed. Throws a MagicError naming the wrong flag and listing
 * the right ones.
 */
export function checkFlags(t: ToolFields, parsed: ParsedFlags, syntax: Syntax): void {
  const name = t.tool.name;
  if (parsed.positionals.length > 0) {
    if (!t.positional) {
      throw new MagicError(`${name} takes no bare value, but got '${parsed.positionals[0].text}'. Give each value with a flag: ${flagList(t)}.`);
    }
    if (parsed.positionals.length > 1) {
      throw new MagicError(
        `${name} takes one bare value (its ${t.positional}), but got ${parsed.positionals.map((p) => `'${p.text}'`).join(", ")}. Quote a value that has spaces.`,
      );
    }
  }
  const seen = new Map<string, string>();
  if (t.positional && parsed.positionals.length > 0) seen.set(t.positional, "the bare value");
  for (const flag of parsed.flags) {
    const field = t.fieldForFlag(flag.name);
    if (!field) throw new MagicError(`${name} has no flag --${flag.name}. Its flags: ${flagList(t)}. See ${syntax.command} help ${name}.`);
    const before = seen.get(field.name);
    if (before) throw new MagicError(`${field.name} is given twice (${before} and --${flag.name}) in ${name}.`);
    seen.set(field.name, `--${flag.name}`);
  }
}

/**
 * Turns a parsed call into the tool's input: values coerced by the field's type, kernel variables
 * substituted. `--data weather`, where `weather` holds an object and the field is a string, takes
 * `weather.dataset_id`: the object's field named like the target field.
 */
export function coerceInput(t: ToolFields, parsed: ParsedFlags, options: CoerceOptions): Record<string, unknown> {
  const { scope } = options;
  checkFlags(t, parsed, options.syntax);
  const input: Record<string, unknown> = {};
  const positional = t.positional ? t.field(t.positional) : undefined;
  if (positional && parsed.positionals[0]) {
    input[positional.name] = coerceValue(positional, parsed.positionals[0], t.positional ?? positional.name, scope);
  }
  for (const flag of parsed.flags) {
    const field = t.fieldForFlag(flag.name) as ToolField;
    input[field.name] = coerceFlag(field, flag, scope);
  }
  return input;
}

function coerceFlag(field: ToolField, flag: Flag, scope: Scope | undefined): unknown {
  const label = `--${flag.name}`;
  if (flag.value === null) {
    if (field.kind === "boolean" || field.kind === "any") return true;
    throw new MagicError(`${label} needs a value: ${label} ${fieldTypeLabel(field)}`);
  }
  return coerceValue(field, flag.value, label, scope);
}

/** Coerces one value for `field`; exported for `%%dw` bodies written as `key: value` lines. */
export function coerceValue(field: ToolField, value: FlagValue, label: string, scope: Scope | undefined): unknown {
  const ref = value.quoted || !scope ? undefined : lookup(value.text, field, scope);
  if (ref) return fromVariable(field, ref.value, value.text, label);
  return fromText(field.kind, field.itemKind, value.text, label);
}

function lookup(text: string, field: ToolField, scope: Scope): { value: unknown } | undefined {
  const isPath = PATH.test(text);
  if (!isPath && !IDENTIFIER.test(text)) return undefined;
  const [root, ...rest] = text.split(".");
  const defined = Object.hasOwn(scope, root) && scope[root] !== undefined;
  if (!defined) {
    if (isPath && !FILE_EXTENSION.test(text) && !/(^|_)path$/.test(field.name)) {
      throw new MagicError(
        `kernel variable '${root}' is not defined (in '${text}'). Define it in an earlier line or cell, e.g. with --as ${root}, or quote the value to pass it as text.`,
      );
    }
    return undefined;
  }
  let value: unknown = scope[root];
  let at = root;
  for (const key of rest) {
    if (value === null || typeof value !== "object" || !(key in value)) {
      throw new MagicError(`kernel variable '${at}' has no field '${key}'${fieldsOf(value)}.`);
    }
    value = (value as Record<string, unknown>)[key];
    at += `.${key}`;
  }
  return { value };
}

function fromVariable(field: ToolField, value: unknown, ref: string, label: string): unknown {
  switch (field.kind) {
    case "string":
      if (typeof value === "string") return value;
      if (typeof value === "number" || typeof value === "boolean") return String(value);
      if (isPlainObject(value)) {
        const inner = value[field.name];
        if (typeof inner === "string" || typeof inner === "number") return String(inner);
        throw new MagicError(
          `kernel variable '${ref}' holds an object with no '${field.name}' field, so it cannot fill ${label}${fieldsOf(value)}. Pass ${ref}.<field> or a string.`,
        );
      }
      throw new MagicError(`kernel variable '${ref}' holds ${describe(value)}; ${label} expects a string.`);
    case "number":
    case "integer":
      if (typeof value === "number") return value;
      if (typeof value === "string") return fromText(field.kind, undefined, value, label);
      throw new MagicError(`kernel variable '${ref}' holds ${describe(value)}; ${label} expects a number.`);
    case "boolean":
      if (typeof value === "boolean") return value;
      throw new MagicError(`kernel variable '${ref}' holds ${describe(value)}; ${label} expects true or false.`);
    case "array":
      if (Array.isArray(value)) return value;
      if (typeof value === "string") return fromText("array", field.itemKind, value, label);
      throw new MagicError(`kernel variable '${ref}' holds ${describe(value)}; ${label} expects a list.`);
    default:
      return value;
  }
}

function fromText(kind: FieldKind, itemKind: FieldKind | undefined, text: string, label: string): unknown {
  switch (kind) {
    case "string":
      return text;
    case "number":
    case "integer": {
      const n = text.trim() === "" ? NaN : Number(text);
      if (!Number.isFinite(n) || (kind === "integer" && !Number.isInteger(n))) {
        throw new MagicError(`${label} expects ${kind === "integer" ? "an integer" : "a number"}, got '${text}'.`);
      }
      return n;
    }
    case "boolean": {
      const t = text.toLowerCase();
      if (t === "true" || t === "false") return t === "true";
      throw new MagicError(`${label} expects true or false, got '${text}'.`);
    }
    case "array": {
      if (text.trim().startsWith("[")) {
        const parsed = parseJson(text, label);
        if (!Array.isArray(parsed)) throw new MagicError(`${label} expects a list, e.g. a,b,c`);
        return parsed;
      }
      const items = text
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s !== "");
      return items.map((s) => fromText(itemKind ?? "string", undefined, s, label));
    }
    case "object": {
      const parsed = parseJson(text, label);
      if (!isPlainObject(parsed)) throw new MagicError(`${label} expects a JSON object, e.g. '{"l2": 0.1}'`);
      return parsed;
    }
    default:
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return text;
      }
  }
}

function parseJson(text: string, label: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new MagicError(`${label} expects JSON (quote it if it has spaces, e.g. '{"l2": 0.1}'): ${(e as Error).message}`);
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return "a list";
  if (v === null) return "null";
  return typeof v === "object" ? "an object" : `a ${typeof v}`;
}

function fieldsOf(v: unknown): string {
  if (!isPlainObject(v)) return "";
  const keys = Object.keys(v).slice(0, 12);
  return keys.length ? ` (its fields: ${keys.join(", ")})` : "";
}
