/**
 * How a tool's input field reads as a flag: the JSON Schema node the flag syntax looks at and the
 * kind its text is coerced to. This file imports nothing, so that the labextension (the Tools
 * panel's `%dw` line, src/adapters/formatMagicLine.ts) and the kernel's parser share one rule.
 */

/** A JSON Schema node, as much of it as the flag syntax reads. */
export interface FieldSchema {
  type?: string | string[];
  enum?: unknown[];
  items?: FieldSchema;
  anyOf?: FieldSchema[];
  oneOf?: FieldSchema[];
  default?: unknown;
  description?: string;
  properties?: Record<string, FieldSchema>;
}

/** What a flag's text is coerced to. */
export type FieldKind = "string" | "number" | "integer" | "boolean" | "array" | "object" | "any";

/** The kind of a field's schema; `any` when it allows several (a union of string and number). */
export function kindOf(s: FieldSchema): FieldKind {
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) {
    const kinds = new Set(alternatives.filter((a) => a.type !== "null").map(kindOf));
    return kinds.size === 1 ? [...kinds][0] : "any";
  }
  const type = Array.isArray(s.type) ? s.type.filter((t) => t !== "null") : s.type ? [s.type] : [];
  if (type.length === 1 && ["string", "number", "integer", "boolean", "array", "object"].includes(type[0])) return type[0] as FieldKind;
  if (type.length === 0 && s.enum?.every((v) => typeof v === "string")) return "string";
  return "any";
}
