#!/usr/bin/env node
import { parseArgs } from "node:util";
import type { ToolDef } from "../tools/defineTool.js";
import type { serve, LIMIT_FLAGS } from "../server/serve.js";
import type { Workspace } from "../workspace/Workspace.js";
import type { DwError } from "../errors/DwError.js";
import { DW_VERSION } from "../version.js";
import type { ToolCommand } from "./readToolCommand.js";
import { MCP_USAGE } from "../mcp/mcpUsage.js";

// Start-up is the cost of every call, so this file imports statically only what `dw --version`
// needs. The tools' definitions (zod and their schemas), the help renderer and the server are
// each loaded by the command that uses them; a tool's own implementation (the data readers,
// isomorphic-git, DuckDB, Arrow…) is loaded by that tool's run. test/src/cli/startup.integration.test.ts
// checks which modules each command loads.

const USAGE_COMMANDS = `usage: dw <tool> [<value>] [--flag value]... [--json '<input>'] [--workspace DIR]
       dw serve [--port N] [--host HOST] [--require-token] [--rotate-token] [--public] [--allowed-hosts A,B]
                [--workers N] [--max-body-bytes N] [--max-rows N] [--max-in-flight N] [--request-timeout-ms N] [--workspace DIR]
       dw push [<remote>] | dw pull [<remote>] | dw export <model>@<alias> --kserve DIR | --onnx FILE
       dw reproduce <run_id | model@alias | model/version>     exit 0: same bytes; 3: rebuilt but different
       dw mlflow sync --url URL
       ${MCP_USAGE}
       dw help [<tool>]
       dw --version`;

/** The tools' wire names, from the list of their modules (none of them is loaded). */
async function toolNames(): Promise<string[]> {
  return (await import("../tools/toolModules.js")).toolModules.map((t) => t.name);
}

/** One tool's definition (zod and its schemas), not the other tools', nor its implementation. */
async function loadTool(name: string): Promise<ToolDef | undefined> {
  return (await import("../tools/loadTool.js")).loadTool(name);
}

/** The usage text, ending with the tools' names. */
async function usageText(): Promise<string> {
  return `${USAGE_COMMANDS}\n\nTools: ${(await toolNames()).join(", ")}`;
}

/**
 * Exit codes: 0 ok, 1 a tool returned an error result (or `dw serve` could not start: a workspace
 * it cannot open or write, a server already running), 2 a usage error, 3 `dw reproduce` rebuilt
 * the model and it is not the same (toolExitCode). 70 is left for faults in dw itself, the only
 * case that prints a stack trace.
 */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === "--help" || command === "-h") {
    process.stdout.write(`${await usageText()}\n`);
    return command ? 0 : 2;
  }
  if (command === "--version") {
    process.stdout.write(DW_VERSION + "\n");
    return 0;
  }
  if (command === "help") return help(rest);
  if (command === "serve") return serveCommand(rest);
  // Loaded only here: the MCP SDK and its HTTP stack would otherwise add to every CLI call's start-up.
  if (command === "mcp") return (await import("../mcp/mcpCommand.js")).mcpCommand(rest);
  const named = commandTool(command, rest);
  if (typeof named === "string") return usage(named);
  const [tool, { readToolCommand }, { MagicError }] = await Promise.all([
    loadTool(named.tool),
    import("./readToolCommand.js"),
    import("../adapters/MagicError.js"),
  ]);
  if (!tool)
    return usage(
      `unknown command or tool '${command}'${await didYouMean(command, ["help", "serve", "mcp", ...Object.keys(COMMAND_TOOLS), "mlflow sync", ...(await toolNames())])}`,
    );
  let call: ToolCommand;
  try {
    call = readToolCommand(tool, named.rest);
  } catch (e) {
    if (!(e instanceof MagicError)) throw e;
    // The message names the flag and what it takes; the tool's help says the rest.
    process.stderr.write(`dw: ${e.message}${e.message.includes("dw help") ? "" : ` See dw help ${tool.name}.`}\n`);
    return 2;
  }
  if (call.kind === "help") return help([tool.name]);
  const workspaceDir = call.workspace;
  const [{ runTool }, { createToolContext }, { documentText }, { toolExitCode }] = await Promise.all([
    import("../tools/runTool.js"),
    import("../tools/createToolContext.js"),
    import("../workspace/documentText.js"),
    import("./toolExitCode.js"),
  ]);
  // Opened inside runTool, so that a workspace it cannot open is an error result like any other.
  const context = () => createToolContext({ cwd: process.cwd(), workspaceDir, origin: { via: "cli" } });
  const result = await runTool(tool.name, call.input, context);
  if (result.ok) {
    process.stdout.write(documentText(result.output));
    return toolExitCode(tool.name, result.output);
  }
  process.stdout.write(documentText({ ok: false, error: result.error }));
  return 1;
}

/**
 * Commands that name a tool in the words users of git, MLflow and model servers already type:
 * `dw push origin` is `dw push_registry origin`, `dw mlflow sync --url …` is `dw sync_mlflow --url …`.
 */
const COMMAND_TOOLS: Readonly<Record<string, string>> = { push: "push_registry", pull: "pull_registry", export: "export_model", reproduce: "reproduce_run" };

/** The tool a command line names and the words after the command, or the usage error. */
function commandTool(command: string, rest: readonly string[]): { tool: string; rest: string[] } | string {
  if (command === "mlflow") {
    if (rest[0] !== "sync") return `dw mlflow takes one subcommand, sync (dw mlflow sync --url URL), got ${rest[0] === undefined ? "none" : `'${rest[0]}'`}`;
    return { tool: "sync_mlflow", rest: rest.slice(1) };
  }
  return { tool: COMMAND_TOOLS[command] ?? command, rest: [...rest] };
}

async function usage(message: string): Promise<number> {
  process.stderr.write(`dw: ${message}\n\n${await usageText()}\n`);
  return 2;
}

/** `dw help [<tool>]`: the help the kernel's `%dw help` shows, in the command line's words; for a tool, also the JSON Schema of what --json takes. */
async function help(args: readonly string[]): Promise<number> {
  if (args.length > 1) return usage(`help takes one tool at most, got ${args.map((a) => `'${a}'`).join(", ")}`);
  const { CLI_SYNTAX } = await import("./cliSyntax.js");
  const name = args[0];
  if (name === undefined) {
    const [{ toolListHelp }, { toolSummaries }] = await Promise.all([import("../adapters/toolListHelp.js"), import("./toolSummaries.js")]);
    process.stdout.write(`${toolListHelp(await toolSummaries(), CLI_SYNTAX)}\n`);
    return 0;
  }
  const [tool, { toolHelp }] = await Promise.all([loadTool(name), import("../adapters/help.js")]);
  if (!tool) return usage(`unknown tool '${name}'${await didYouMean(name, await toolNames())}`);
  const [{ z }, { documentText }] = await Promise.all([import("zod"), import("../workspace/documentText.js")]);
  const schema = documentText(z.toJSONSchema(tool.input, { io: "input" }));
  process.stdout.write(`${toolHelp(tool, CLI_SYNTAX)}\n\ninput schema (what --json takes):\n${schema}`);
  return 0;
}

async function didYouMean(name: string, names: readonly string[]): Promise<string> {
  const { nearestName } = await import("../adapters/findTool.js");
  const near = nearestName(name, names);
  return near ? `. Did you mean '${near}'?` : "";
}

async function serveCommand(args: string[]): Promise<number> {
  const [{ serve, parseLimitFlags, LIMIT_FLAGS }, { parseAllowedHosts }, { tokenPath }, { createToolContext }] = await Promise.all([
    import("../server/serve.js"),
    import("../server/allowedHosts.js"),
    import("../server/token.js"),
    import("../tools/createToolContext.js"),
  ]);
  let values: ReturnType<typeof parseServeArgs>["values"];
  try {
    ({ values } = parseServeArgs(args, LIMIT_FLAGS));
  } catch (e) {
    return usage((e as Error).message);
  }
  if (values["allow-remote"]) {
    return usage(
      "--allow-remote is gone: dw serve now listens on any --host, and off loopback every request must carry the token in .dw/serve-token (Authorization: Bearer). Drop the flag (or, only behind a proxy that authenticates, use --public).",
    );
  }
  if (values.public && (values["require-token"] || values["rotate-token"])) {
    return usage("--public serves without a token, so it takes neither --require-token nor --rotate-token");
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) return usage(`--port must be a port number, got '${values.port}'`);
  const limits = parseLimitFlags(values);
  if (typeof limits === "string") return usage(limits);
  const workers = values.workers === undefined ? undefined : /^\d{1,2}$/.test(values.workers) ? Number(values.workers) : 0;
  if (workers !== undefined && (workers < 1 || workers > 64)) return usage(`--workers must be a whole number from 1 to 64, got '${values.workers}'`);
  let ws: Workspace | undefined;
  let running: Awaited<ReturnType<typeof serve>> | undefined;
  try {
    ({ workspace: ws } = await createToolContext({ cwd: process.cwd(), workspaceDir: values.workspace }));
    running = await serve(ws, {
      host: values.host,
      port,
      requireToken: values["require-token"] === true,
      rotateToken: values["rotate-token"] === true,
      public: values.public === true,
      limits,
      allowedHosts: values["allowed-hosts"] !== undefined ? parseAllowedHosts(values["allowed-hosts"]) : undefined,
      logFile: values["log-file"],
      workers,
    });
  } catch (e) {
    const error = await userError(e, ws?.root);
    if (!error) throw e;
    process.stderr.write(`dw serve: ${error.message}${error.hint ? `\n${error.hint}` : ""}\n`);
    return 1;
  }
  // One write, so a reader that waits for "listening on" has the token line too.
  const auth = running.info.auth === "bearer" ? `dw serve: requests need the header Authorization: Bearer <the token in ${tokenPath(ws.dwDir)}>\n` : "";
  const open =
    values.public === true && running.info.auth !== "bearer"
      ? "dw serve: --public: no token is checked; only an authenticating proxy may reach this port\n"
      : "";
  process.stdout.write(`dw serve: workspace ${ws.root}\n${auth}${open}dw serve: listening on ${running.info.url}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGTERM", stop);
    process.once("SIGINT", stop);
  });
  await running.close();
  return 0;
}

/** `dw serve`'s flags; the limit flags come from LIMIT_FLAGS, so each limit has one flag and one name. */
function parseServeArgs(args: string[], limitFlags: typeof LIMIT_FLAGS) {
  return parseArgs({
    args,
    options: {
      port: { type: "string" },
      host: { type: "string" },
      workspace: { type: "string" },
      "allow-remote": { type: "boolean" },
      "require-token": { type: "boolean" },
      "rotate-token": { type: "boolean" },
      public: { type: "boolean" },
      "allowed-hosts": { type: "string" },
      "log-file": { type: "string" },
      workers: { type: "string" },
      ...Object.fromEntries(Object.keys(limitFlags).map((flag) => [flag, { type: "string" as const }])),
    },
    strict: true,
  });
}

/** An error that is the user's or the machine's to fix (a DwError, or a file-system condition), not a fault in dw. */
async function userError(e: unknown, where?: string): Promise<DwError | null> {
  const [{ isDwError }, { fileSystemError }] = await Promise.all([import("../errors/DwError.js"), import("../errors/fileSystemError.js")]);
  return isDwError(e) ? e : fileSystemError(e, where);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`dw: internal error: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exitCode = 70;
  },
);
