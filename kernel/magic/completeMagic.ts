import { findTool } from "../../src/adapters/findTool.js";
import { toolFields } from "../../src/adapters/toolFields.js";
import type { ToolDef } from "../../src/index.js";

export interface MagicCompletion {
  start: number;
  end: number;
  matches: string[];
}

/**
 * Completion inside a `%dw` or `%%dw` line: tool names after `%dw `, flag names after `--`.
 * Returns undefined when the cursor is not in a magic line, so TypeScript completion applies.
 */
export function completeMagic(code: string, cursor: number, tools: readonly ToolDef[]): MagicCompletion | undefined {
  const lineStart = code.lastIndexOf("\n", cursor - 1) + 1;
  const before = code.slice(lineStart, cursor);
  const m = /^\s*%%?dw(\s+.*)?$/.exec(before);
  if (!m) return undefined;
  const rest = m[1] ?? "";
  const wordMatch = /(\S*)$/.exec(rest);
  const word = wordMatch ? wordMatch[1] : "";
  const start = cursor - word.length;
  const words = rest.trim().split(/\s+/).filter(Boolean);
  const isFirstWord = words.length === 0 || (words.length === 1 && word !== "");
  if (!rest.startsWith(" ") && !rest.startsWith("\t") && rest !== "") return undefined;
  if (isFirstWord) {
    const names = ["help", ...tools.map((t) => t.name)].filter((n) => n.startsWith(word));
    return { start, end: cursor, matches: names };
  }
  const toolName = words[0] === "help" ? undefined : words[0];
  if (words[0] === "help") {
    return { start, end: cursor, matches: tools.map((t) => t.name).filter((n) => n.startsWith(word)) };
  }
  const tool = toolName === undefined ? undefined : findTool(tools, toolName);
  if (!tool || !word.startsWith("-")) return { start, end: cursor, matches: [] };
  const t = toolFields(tool);
  const flags = [...t.fields.flatMap((f) => [f.name, ...f.aliases]), "as", "help"].map((f) => `--${f}`);
  return { start, end: cursor, matches: flags.filter((f) => f.startsWith(word)) };
}
