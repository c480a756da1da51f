import type { ToolDef } from "../tools/defineTool.js";

/**
 * How one adapter writes a tool call, so that help and errors written once read right in each:
 * `%dw train_model --target y` in a notebook, `dw train_model --target y` on the command line.
 */
export interface Syntax {
  /** What a call starts with: `%dw`, `dw`. */
  command: string;
  /** What the adapter adds to any call, at the end of a tool's usage line: `[--as NAME]`. */
  callOptions: string;
  /** The tool list's first line: how to call a tool. */
  listIntro: string;
  /** The tool list's last line: how to see one tool's flags. */
  listOutro: string;
  /** Another way to make the same call, given the required fields: `await dw.trainModel({ … })`. */
  alternative(tool: ToolDef, required: readonly string[]): string;
}
