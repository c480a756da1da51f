import { coerceInput } from "../adapters/coerceInput.js";
import { MagicError } from "../adapters/MagicError.js";
import { mergeInput } from "../adapters/mergeInput.js";
import { parseArgs, type Flag } from "../adapters/parseFlags.js";
import { toolFields } from "../adapters/toolFields.js";
import type { ToolDef } from "../tools/defineTool.js";
import { CLI_SYNTAX } from "./cliSyntax.js";

/** What `dw <tool> …` asks for: the tool's help, or a call with this input. */
export type ToolCommand = { kind: "help" } | { kind: "call"; input: unknown; workspace?: string };

/** Options of the command line itself, not fields of the tool's input. */
const OPTIONS = { json: "--json '<input>'", workspace: "--workspace DIR" } as const;
type Option = keyof typeof OPTIONS;

/**
 * Reads `dw <tool> [<value>] [--flag value]... [--json '<input>'] [--workspace DIR]` as the kernel
 * reads `%dw <tool> …`: the same flags, aliases, coercion and errors (src/adapters/), except that
 * there are no kernel variables, so every value is literal text. `--json` gives the input whole,
 * as before; flags beside it add fields, and a field given both ways is an error. `--help` asks for
 * the tool's help. Throws a MagicError for a call that cannot become the tool's input.
 */
export function readToolCommand(tool: ToolDef, args: readonly string[]): ToolCommand {
  const parsed = parseArgs(args);
  const options: Partial<Record<Option, string>> = {};
  const flags: Flag[] = [];
  for (const flag of parsed.flags) {
    if (!Object.hasOwn(OPTIONS, flag.name)) {
      flags.push(flag);
      continue;
    }
    const name = flag.name as Option;
    if (flag.value === null) throw new MagicError(`--${name} needs a value: ${OPTIONS[name]}`);
    if (options[name] !== undefined) throw new MagicError(`--${name} is given twice.`);
    options[name] = flag.value.text;
  }
  if (flags.some((f) => f.name === "help")) return { kind: "help" };
  const call = { positionals: parsed.positionals, flags };
  const fromFlags = coerceInput(toolFields(tool), call, { syntax: CLI_SYNTAX });
  const workspace = options.workspace;
  if (options.json === undefined) return { kind: "call", input: fromFlags, workspace };
  let body: unknown;
  try {
    body = JSON.parse(options.json);
  } catch (e) {
    throw new MagicError(`--json is not valid JSON: ${(e as Error).message}`);
  }
  // --json alone is handed to the tool as it is: the tool's own check says what is wrong with it.
  if (call.positionals.length === 0 && flags.length === 0) return { kind: "call", input: body, workspace };
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new MagicError(`--json must be a JSON object when flags give fields too, e.g. --json '{"seed": 7}'.`);
  }
  return { kind: "call", input: mergeInput(fromFlags, body as Record<string, unknown>, (key) => `${key} is given both as a flag and in --json.`), workspace };
}
