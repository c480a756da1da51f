import type { ToolDef } from "../tools/defineTool.js";
import type { Syntax } from "./Syntax.js";
import { fieldTypeLabel, toolFields } from "./toolFields.js";

/**
 * How wide help text may run: a notebook's output area and a terminal both show about this many
 * characters before wrapping a line themselves (which breaks the columns).
 */
export const HELP_WIDTH = 88;

/** `%dw help`, `dw help`: every tool with its description, wrapped under its name to the help's width. */
export function toolListHelp(tools: readonly ToolDef[], syntax: Syntax): string {
  const width = Math.max(...tools.map((t) => t.name.length));
  const indent = width + 4;
  const listed = tools.map((t) => `  ${t.name.padEnd(width)}  ${wrap(t.description, HELP_WIDTH - indent).join(`\n${" ".repeat(indent)}`)}`);
  return [syntax.listIntro, "", ...listed, "", syntax.listOutro].join("\n");
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

/** Words of `text` in lines of at most `width` characters (a longer word gets a line of its own). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line || lines.length === 0) lines.push(line);
  return lines;
}
