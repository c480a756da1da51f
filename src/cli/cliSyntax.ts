import type { Syntax } from "../adapters/Syntax.js";

/** How the command line writes a tool call in help and errors: `dw <tool> …`, or `dw <tool> --json '{…}'`. */
export const CLI_SYNTAX: Syntax = {
  command: "dw",
  callOptions: "[--workspace DIR]",
  listIntro: "dw tools. Call one with dw <tool> [--flag value]... or dw <tool> --json '<input>'.",
  listOutro: "dw help <tool> shows a tool's flags and the input --json takes. --workspace DIR runs a tool in another folder.",
  alternative: (tool, required) => `dw ${tool.name} --json '{${required.map((f) => `"${f}": …`).join(", ")}}'`,
};
