import type { ToolDef } from "../tools/defineTool.js";
import type { Syntax } from "./Syntax.js";
import { fieldTypeLabel, toolFields } from "./toolFields.js";
import { HELP_WIDTH, wrap } from "./toolListHelp.js";

// The list of tools lives in toolListHelp.ts, which does not import zod, so `dw help` can show it
// without loading the tools' schemas; it is exported from here too, with the rest of the help.
export { HELP_WIDTH, toolListHelp, wrap } from "./toolListHelp.js";

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
  const usage = [
    `${syntax.command} ${tool.name}`,
    t.positional ? ` <${t.positional}>` : "",
    ...t.fields.filter((f) => f.required && f.name !== t.positional).map((f) => ` --${f.aliases[0] ?? f.name} ${fieldTypeLabel(f)}`),
    ` [--flag value]... ${syntax.callOptions}`,
  ].join("");
  const required = t.fields.filter((f) => f.required).map((f) => f.name);
  return [
    ...wrap(`${tool.name}: ${tool.description}`, HELP_WIDTH),
    "",
    `  ${usage}`,
    `  ${syntax.alternative(tool, required)}`,
    "",
    "Flags:",
    // Each flag's name and type on its own line, what it takes wrapped beneath at a fixed indent,
    // so the text starts near the left edge however long the longest flag is.
    ...flags.map((f) =>
      [`  ${f.head}`, ...wrap(`${f.notes}. ${f.description}`.trim(), HELP_WIDTH - FLAG_INDENT.length).map((l) => FLAG_INDENT + l)].join("\n"),
    ),
  ].join("\n");
}

const FLAG_INDENT = "      ";
