import { z } from "zod";
import type { ToolDef } from "../tools/defineTool.js";

import { kindOf, type FieldKind, type FieldSchema } from "./fieldKind.js";

export { kindOf, type FieldKind, type FieldSchema };

/** One input field of a tool, as a flag. */
export interface ToolField {
  name: string;
  kind: FieldKind;
  /** For arrays: the kind of each item. */
  itemKind?: FieldKind;
  required: boolean;
  schema: FieldSchema;
  /** Short flags that fill this field, from the tool's `magic.aliases`. */
  aliases: string[];
}

/** A tool as the flag syntax sees it: its input fields from the zod schema, its positional and aliases. */
export interface ToolFields {
  tool: ToolDef;
  fields: ToolField[];
  positional?: string;
  field(name: string): ToolField | undefined;
  /** The field a flag fills: an alias first, then the field name; kebab-case is read as snake_case. */
  fieldForFlag(flag: string): ToolField | undefined;
}

/** The fields of a tool's input, read from its zod schema (as JSON Schema), with its magic positional and aliases. */
export function toolFields(tool: ToolDef): ToolFields {
  const schema = z.toJSONSchema(tool.input, { io: "input", unrepresentable: "any" }) as FieldSchema & { required?: string[] };
  const required = new Set(schema.required ?? []);
  const aliases = tool.magic?.aliases ?? {};
  const fields: ToolField[] = Object.entries(schema.properties ?? {}).map(([name, s]) => {
    const kind = kindOf(s);
    return {
      name,
      kind,
      itemKind: kind === "array" && s.items ? kindOf(s.items) : undefined,
      required: required.has(name),
      schema: s,
      aliases: Object.entries(aliases)
        .filter(([, target]) => target === name)
        .map(([alias]) => alias),
    };
  });
  const field = (name: string) => fields.find((f) => f.name === name);
  return {
    tool,
    fields,
    positional: tool.magic?.positional,
    field,
    fieldForFlag(flag) {
      for (const name of [flag, flag.replace(/-/g, "_")]) {
        const target = aliases[name];
        if (target !== undefined) return field(target);
      }
      return field(flag) ?? field(flag.replace(/-/g, "_"));
    },
  };
}

/** How a field reads in help and error messages: `<string>`, `<number>`, `a,b,...`, `linear_regression|...`. */
export function fieldTypeLabel(f: ToolField): string {
  if (f.schema.enum) return f.schema.enum.map(String).join("|");
  if (f.kind === "array") return `${f.itemKind ?? "value"},...`;
  if (f.kind === "object") return "<json>";
  if (f.kind === "boolean") return "true|false";
  return `<${f.kind === "any" ? "value" : f.kind}>`;
}

/** `--dataset_id (--data) <string>, --target <string>, ...` */
export function flagList(t: ToolFields): string {
  return t.fields.map((f) => `--${f.name}${f.aliases.length ? ` (${f.aliases.map((a) => `--${a}`).join(", ")})` : ""} ${fieldTypeLabel(f)}`).join(", ");
}
