import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { repoRoot } from "../../helpers/tempWorkspace.js";

const DW = join(repoRoot, "bin", "dw.js");

export interface StdioSession {
  client: Client;
  /** The `dw mcp` process's id, to check it is gone after close. */
  pid: number;
  stderr(): string;
  /** Closes the client, which ends the server's stdin: the server exits. */
  close(): Promise<void>;
}

/** `dw mcp --workspace dir` started by the SDK's own stdio client, as a desktop agent starts it, and initialized. */
export async function connectStdio(dir: string): Promise<StdioSession> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [DW, "mcp", "--workspace", dir],
    env: { ...process.env } as Record<string, string>,
    stderr: "pipe",
  });
  let err = "";
  transport.stderr?.on("data", (d: Buffer) => (err += d));
  const client = new Client({ name: "dw-test", version: "1.0.0" });
  await client.connect(transport);
  return { client, pid: transport.pid!, stderr: () => err, close: () => client.close() };
}

export interface HttpServerProcess {
  child: ChildProcess;
  /** The URL it printed, e.g. http://127.0.0.1:41234/mcp. */
  url: string;
  stdout(): string;
  /** SIGTERM, then waits for the exit; its exit code. */
  stop(): Promise<number | null>;
}

/** `dw mcp --http --workspace dir ...args`, started as a user does; resolves on its "listening on" line. */
export async function startHttpServer(dir: string, args: string[] = []): Promise<HttpServerProcess> {
  const child = spawn(process.execPath, [DW, "mcp", "--http", "--workspace", dir, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stderr!.on("data", (d: Buffer) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on("data", (d: Buffer) => {
      out += d;
      const m = /listening on (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once("exit", (code) => reject(new Error(`dw mcp --http exited with ${code}: ${err}`)));
  });
  return {
    child,
    url,
    stdout: () => out,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}

/** An SDK client connected to `url` with `token` as its bearer token. */
export async function connectHttp(url: string, token: string): Promise<Client> {
  const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${token}` } } });
  const client = new Client({ name: "dw-test", version: "1.0.0" });
  await client.connect(transport);
  return client;
}
