import type { ToolDef } from "../tools/defineTool.js";
import type { Syntax } from "./Syntax.js";

/**
 * How wide help text may run: a notebook's output area and a terminal both show about this many
 * characters before wrapping a line themselves (which breaks the columns).
 */
export const HELP_WIDTH = 88;

/** `%dw help`, `dw help`: every tool with its description, wrapped under its name to the help's width. */
export function toolListHelp(tools: readonly Pick<ToolDef, "name" | "description">[], syntax: Syntax): string {
  const width = Math.max(...tools.map((t) => t.name.length));
  const indent = width + 4;
  const listed = tools.map((t) => `  ${t.name.padEnd(width)}  ${wrap(t.description, HELP_WIDTH - indent).join(`\n${" ".repeat(indent)}`)}`);
  return [syntax.listIntro, "", ...listed, "", syntax.listOutro].join("\n");
}

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
