import { formatMagicLine, type MagicFieldSchema } from "../../../src/adapters/formatMagicLine.js";
import { MagicError } from "../../../src/adapters/MagicError.js";

/** A JSON Schema node as the generator writes it (zod's toJSONSchema); only what the panel reads is named. */
export interface JsonSchemaNode extends MagicFieldSchema {
  $schema?: string;
  description?: string;
  default?: unknown;
  properties?: Record<string, JsonSchemaNode>;
  required?: string[];
  [key: string]: unknown;
}

/** One schema/tools/<name>.json document, as generated from the tool's zod schemas. */
export interface ToolSchemaDoc {
  name: string;
  description: string;
  input_schema: JsonSchemaNode;
}

/** A tool as the Tools panel lists it. */
export interface ToolEntry {
  name: string;
  /** `train_model` → "Train model". */
  title: string;
  /** The description's first sentence, for the list. */
  summary: string;
  description: string;
  /** The input schema the form renders: without `$schema` and without fields a form cannot fill. */
  formSchema: JsonSchemaNode;
  /** Fields left out of the form: they take kernel values (any type, e.g. load_dataset's `data`), which only a cell can give. */
  kernelOnly: string[];
  doc: ToolSchemaDoc;
}

/** The panel's entries for the tools' schema documents, sorted by name. */
export function toolEntries(docs: readonly ToolSchemaDoc[]): ToolEntry[] {
  return docs.map(toolEntry).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** One tool's entry: its title, summary, and the schema its form is generated from. */
export function toolEntry(doc: ToolSchemaDoc): ToolEntry {
  const { $schema: _ignored, ...schema } = doc.input_schema;
  const properties: Record<string, JsonSchemaNode> = {};
  const kernelOnly: string[] = [];
  for (const [name, field] of Object.entries(schema.properties ?? {})) {
    if (field.type === undefined && !field.anyOf && !field.oneOf && !field.enum) kernelOnly.push(name);
    else properties[name] = field;
  }
  const required = (schema.required ?? []).filter((name) => name in properties);
  const formSchema: JsonSchemaNode = { ...schema, properties, ...(schema.required ? { required } : {}) };
  const words = doc.name.replace(/_/g, " ");
  const sentence = /^.*?[.:;](\s|$)/.exec(doc.description);
  return {
    name: doc.name,
    title: words.charAt(0).toUpperCase() + words.slice(1),
    summary: (sentence ? sentence[0] : doc.description).trim().replace(/[:;]$/, "."),
    description: doc.description,
    formSchema,
    kernelOnly,
    doc,
  };
}

/** The tools whose name, title or description hold every word of the query (any case); all of them for an empty query. */
export function filterTools(entries: readonly ToolEntry[], query: string): ToolEntry[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...entries];
  return entries.filter((e) => {
    const text = `${e.name} ${e.title} ${e.description}`.toLowerCase();
    return words.every((w) => text.includes(w));
  });
}

/**
 * The tool's input from the form's data: fields left empty or at their schema default are left
 * out (the tool applies its defaults itself), and so are a list's blank items, so the call and its
 * `%dw` line say only what the user chose.
 */
export function formInput(entry: ToolEntry, formData: Readonly<Record<string, unknown>> | undefined): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  const properties = entry.formSchema.properties ?? {};
  for (const [name, value] of Object.entries(formData ?? {})) {
    if (value === undefined || value === "" || !(name in properties)) continue;
    const field = properties[name];
    if (Array.isArray(value)) {
      // rjsf adds a blank item for a list with a minimum length; blank items are not the user's.
      const items = value.filter((v) => v !== null && v !== undefined && v !== "");
      if (items.length > 0 && !("default" in field && sameJson(field.default, items))) input[name] = items;
      continue;
    }
    if ("default" in field && sameJson(field.default, value)) continue;
    input[name] = value;
  }
  return input;
}

/**
 * The cell source that calls the tool with `input`: its `%dw` line, or, when a text value holds
 * a line break (which a line cannot carry), a `%%dw` cell whose body is the input as JSON.
 */
export function magicSource(entry: ToolEntry, input: Readonly<Record<string, unknown>>): string {
  try {
    return formatMagicLine(entry.doc, input);
  } catch (e) {
    if (!(e instanceof MagicError)) throw e;
    return `%%dw ${entry.name}\n${JSON.stringify(input, null, 2)}`;
  }
}

/** A line of a result's summary: a field and its value, as text, a yes/no, or a count of a list's items or an object's fields (the DOM words those, translated). */
export type SummaryLine =
  | { field: string; kind: "text"; text: string }
  | { field: string; kind: "flag"; value: boolean }
  | { field: string; kind: "items" | "fields"; count: number };

/**
 * A readable summary of a tool's output: its plain fields (text, numbers, yes/no) as they are,
 * lists by their length, objects by their fields' count; the whole JSON shows beside it.
 */
export function outputSummary(output: Readonly<Record<string, unknown>>, limit = 12): SummaryLine[] {
  const lines: SummaryLine[] = [];
  for (const [field, value] of Object.entries(output)) {
    if (lines.length >= limit) break;
    if (value === null || value === undefined) continue;
    if (typeof value === "string") lines.push({ field, kind: "text", text: value.length > 120 ? `${value.slice(0, 119)}…` : value });
    else if (typeof value === "number")
      lines.push({ field, kind: "text", text: Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4))) });
    else if (typeof value === "boolean") lines.push({ field, kind: "flag", value });
    else if (Array.isArray(value)) lines.push({ field, kind: "items", count: value.length });
    else if (typeof value === "object") lines.push({ field, kind: "fields", count: Object.keys(value).length });
  }
  return lines;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
