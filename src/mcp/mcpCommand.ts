import { parseArgs } from "node:util";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { createToolContext } from "../tools/createToolContext.js";
import type { ToolContext } from "../tools/ToolContext.js";
import { isDwError } from "../errors/DwError.js";
import { fileSystemError } from "../errors/fileSystemError.js";
import { createMcpServer, type McpHost } from "./createMcpServer.js";
import { serveMcpHttp } from "./serveMcpHttp.js";
import { MCP_USAGE } from "./mcpUsage.js";

/** How long a stopping server waits for the tool calls it interrupted to end. */
const SETTLE_MS = 15_000;

/**
 * `dw mcp`: dw's tools, records and prompts to any MCP client, for one workspace (`--workspace`,
 * else the one found from the current folder; relative paths in tool calls resolve in its root).
 * Over stdio by default (the client starts the process; stdout is the protocol, so dw's own lines
 * go to stderr); with `--http`, over streamable HTTP behind the workspace's token. Runs until the
 * client closes stdin (stdio), or SIGTERM / SIGINT; tool calls running then are interrupted and
 * waited for. Exit codes as the rest of the CLI: 0, 1 (a workspace it cannot open, a port it
 * cannot bind), 2 (usage).
 *
 * @example
 * ```ts
 * process.exitCode = await mcpCommand(["--http", "--port", "8765"]);
 * ```
 */
export async function mcpCommand(args: string[]): Promise<number> {
  let values: { workspace?: string; http?: boolean; port?: string; host?: string };
  try {
    ({ values } = parseArgs({
      args,
      options: { workspace: { type: "string" }, http: { type: "boolean" }, port: { type: "string" }, host: { type: "string" } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    return usage((e as Error).message);
  }
  if (!values.http && (values.port !== undefined || values.host !== undefined)) return usage("--port and --host go with --http (stdio has no address)");
  const port = values.port === undefined ? 0 : /^\d{1,5}$/.test(values.port) ? Number(values.port) : -1;
  if (port < 0 || port > 65535) return usage(`--port must be a port number, got '${values.port}'`);

  let context: ToolContext;
  try {
    context = await createToolContext({ cwd: process.cwd(), workspaceDir: values.workspace, origin: { via: "mcp" } });
  } catch (e) {
    return failed(e);
  }
  // An agent does not know this process's folder: its relative paths name files of the workspace.
  const host: McpHost = { context: { ...context, cwd: context.workspace.root }, running: new Set() };
  return values.http ? runHttp(host, values.host ?? "127.0.0.1", port) : runStdio(host);
}

async function runStdio(host: McpHost): Promise<number> {
  const server = createMcpServer(host);
  const stopped = new Promise<void>((resolve) => {
    server.onclose = resolve;
    process.stdin.once("end", resolve);
    process.stdin.once("close", resolve);
    process.once("SIGTERM", resolve);
    process.once("SIGINT", resolve);
  });
  await server.connect(new StdioServerTransport());
  process.stderr.write(`dw mcp: serving the workspace ${host.context.workspace.root} over stdio\n`);
  await stopped;
  await server.close();
  await settle(host);
  return 0;
}

async function runHttp(host: McpHost, address: string, port: number): Promise<number> {
  let running: Awaited<ReturnType<typeof serveMcpHttp>>;
  try {
    running = await serveMcpHttp(host, { host: address, port });
  } catch (e) {
    return failed(e);
  }
  // One write, so a reader waiting for "listening on" has the token line too.
  process.stdout.write(
    `dw mcp: workspace ${host.context.workspace.root}\ndw mcp: requests need the header Authorization: Bearer <the token in ${running.tokenFile}>\ndw mcp: listening on ${running.url}\n`,
  );
  await new Promise<void>((resolve) => {
    process.once("SIGTERM", resolve);
    process.once("SIGINT", resolve);
  });
  await running.close();
  await settle(host);
  return 0;
}

/** Waits (a bounded time) for the tool calls still running: closing the connections interrupted them. */
async function settle(host: McpHost): Promise<void> {
  if (host.running.size === 0) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.allSettled([...host.running]), new Promise((r) => (timer = setTimeout(r, SETTLE_MS)))]);
  clearTimeout(timer);
}

function usage(message: string): number {
  process.stderr.write(`dw mcp: ${message}\nusage: ${MCP_USAGE}\n`);
  return 2;
}

function failed(e: unknown): number {
  const error = isDwError(e) ? e : fileSystemError(e);
  const listen = (e as NodeJS.ErrnoException)?.code;
  if (!error && listen !== "EADDRINUSE" && listen !== "EACCES" && listen !== "EADDRNOTAVAIL") throw e;
  const message = error ? `${error.message}${error.hint ? `\n${error.hint}` : ""}` : `cannot listen there: ${(e as Error).message}`;
  process.stderr.write(`dw mcp: ${message}\n`);
  return 1;
}
