import type { ToolDef } from "../tools/defineTool.js";
import type { Syntax } from "./Syntax.js";
import { fieldTypeLabel, toolFields } from "./toolFields.js";

/** `%dw help`, `dw help`: every tool with its one-line description. */
export function toolListHelp(tools: readonly ToolDef[], syntax: Syntax): string {
  const width = Math.max(...tools.map((t) => t.name.length));
  return [syntax.listIntro, "", ...tools.map((t) => `  ${t.name.padEnd(width)}  ${t.description}`), "", syntax.listOutro].join("\n");
}

/** `%dw help <tool>`, `dw help <tool>`: usage, flags with their types, defaults and descriptions, from the zod schema. */
export function toolHelp(tool: ToolDef, syntax: Syntax): string {
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
    `${syntax.command} ${tool.name}`,
    t.positional ? ` <${t.positional}>` : "",
    ...t.fields.filter((f) => f.required && f.name !== t.positional).map((f) => ` --${f.aliases[0] ?? f.name} ${fieldTypeLabel(f)}`),
    ` [--flag value]... ${syntax.callOptions}`,
  ].join("");
  const required = t.fields.filter((f) => f.required).map((f) => f.name);
  return [
    `${tool.name}: ${tool.description}`,
    "",
    `  ${usage}`,
    `  ${syntax.alternative(tool, required)}`,
    "",
    "Flags:",
    ...flags.map((f) => `  ${f.head.padEnd(width)}  ${f.notes}. ${f.description}`.trimEnd()),
  ].join("\n");
}
