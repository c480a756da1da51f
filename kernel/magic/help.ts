import type { ToolDef } from "../../src/index.js";
import { fieldTypeLabel, toolFields } from "./toolFields.js";

/** `%dw help`: every tool with its one-line description. */
export function toolListHelp(tools: readonly ToolDef[]): string {
  const width = Math.max(...tools.map((t) => t.name.length));
  return [
    "dw tools. Call one with %dw <tool> [--flag value]... or await dw.<camelName>({...}).",
    "",
    ...tools.map((t) => `  ${t.name.padEnd(width)}  ${t.description}`),
    "",
    "%dw help <tool> shows a tool's flags. --as NAME stores the result in the variable NAME.",
  ].join("\n");
}

/** `%dw help <tool>`: usage, flags with their types, defaults and descriptions, from the zod schema. */
export function toolHelp(tool: ToolDef): string {
  const t = toolFields(tool);
  const flags = t.fields.map((f) => {
    const names = [`--${f.name}`, ...f.aliases.map((a) => `--${a}`)].join(", ");
    const notes = [f.required ? "required" : "optional"];
    if (f.schema.default !== undefined) notes.push(`default ${JSON.stringify(f.schema.default)}`);
    if (t.positional === f.name) notes.push("or the bare value");
    return { head: `${names} ${fieldTypeLabel(f)}`, notes: notes.join(", "), description: f.schema.description ?? "" };
  });
  const width = Math.max(0, ...flags.map((f) => f.head.length));
  const usage = [
    `%dw ${tool.name}`,
    t.positional ? ` <${t.positional}>` : "",
    ...t.fields.filter((f) => f.required && f.name !== t.positional).map((f) => ` --${f.aliases[0] ?? f.name} ${fieldTypeLabel(f)}`),
    " [--flag value]... [--as NAME]",
  ].join("");
  return [
    `${tool.name}: ${tool.description}`,
    "",
    `  ${usage}`,
    `  await dw.${tool.camelName}({ ${t.fields
      .filter((f) => f.required)
      .map((f) => `${f.name}: …`)
      .join(", ")} })`,
    "",
    "Flags:",
    ...flags.map((f) => `  ${f.head.padEnd(width)}  ${f.notes}. ${f.description}`.trimEnd()),
  ].join("\n");
}
