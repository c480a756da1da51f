import type { Syntax } from "../../src/adapters/Syntax.js";

/** How the kernel writes a tool call in help and errors: `%dw <tool> … [--as NAME]`, or `await dw.<camelName>({…})`. */
export const MAGIC_SYNTAX: Syntax = {
  command: "%dw",
  callOptions: "[--as NAME]",
  listIntro: "dw tools. Call one with %dw <tool> [--flag value]... or await dw.<camelName>({...}).",
  listOutro: "%dw help <tool> shows a tool's flags. --as NAME stores the result in the variable NAME.",
  alternative: (tool, required) => `await dw.${tool.camelName}({ ${required.map((f) => `${f}: …`).join(", ")} })`,
};
