import { execFileSync, spawn } from "node:child_process";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";

/** git's smart HTTP server program, run as a CGI script per request (Documentation/git-http-backend.txt). */
export const GIT_HTTP_BACKEND = "/usr/lib/git-core/git-http-backend";

/** One request the server answered, for tests that count requests or measure what was sent. */
export interface ServedRequest {
  method: string;
  /** The path after the server's root, e.g. "/team.git/git-receive-pack". */
  path: string;
  query: string;
  status: number;
  requestBytes: number;
}

export interface GitHttpServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** The URL of the bare repository `name` under the root, e.g. url("team.git"). */
  url(name: string): string;
  requests: ServedRequest[];
  close(): Promise<void>;
}

export interface GitHttpServerOptions {
  /** The folder holding the bare repositories (GIT_PROJECT_ROOT). */
  root: string;
  /** When given, every request must carry these as HTTP Basic auth, else 401. */
  auth?: { user: string; password: string };
  /** Runs before a request is handed to git (e.g. to move a ref between a push's two requests). */
  beforeRequest?: (request: { method: string; path: string; query: string }) => void | Promise<void>;
}

/**
 * A real git smart HTTP server for tests: node:http on a free port of 127.0.0.1 in front of
 * `git http-backend`, which serves the bare repositories under `root` (every one exported, pushes
 * allowed by their `http.receivepack`, see createBareRepository). Optionally requires Basic auth,
 * as a hosted remote does.
 */
export async function startGitHttpServer(options: GitHttpServerOptions): Promise<GitHttpServer> {
  const requests: ServedRequest[] = [];
  const server = createServer((req, res) => {
    serve(req, res, options, requests).catch((e) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(String(e));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url: (name) => `${origin}/${name}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function serve(req: IncomingMessage, res: ServerResponse, options: GitHttpServerOptions, log: ServedRequest[]): Promise<void> {
  const url = new URL(req.url ?? "/", "http://localhost");
  const entry: ServedRequest = { method: req.method ?? "GET", path: url.pathname, query: url.search.slice(1), status: 0, requestBytes: 0 };
  log.push(entry);
  let user: string | undefined;
  if (options.auth) {
    const m = /^Basic (.+)$/.exec(req.headers.authorization ?? "");
    const [u, ...p] = m ? Buffer.from(m[1], "base64").toString("utf8").split(":") : [];
    if (u !== options.auth.user || p.join(":") !== options.auth.password) {
      req.resume();
      entry.status = 401;
      res.writeHead(401, { "www-authenticate": 'Basic realm="git"', "content-type": "text/plain" });
      res.end("authentication required\n");
      return;
    }
    user = u;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  entry.requestBytes = body.length;
  await options.beforeRequest?.({ method: entry.method, path: entry.path, query: entry.query });
  const child = spawn(GIT_HTTP_BACKEND, [], {
    env: {
      PATH: process.env.PATH,
      GIT_PROJECT_ROOT: options.root,
      GIT_HTTP_EXPORT_ALL: "1",
      PATH_INFO: url.pathname,
      QUERY_STRING: entry.query,
      REQUEST_METHOD: entry.method,
      CONTENT_TYPE: req.headers["content-type"] ?? "",
      CONTENT_LENGTH: String(body.length),
      REMOTE_ADDR: "127.0.0.1",
      ...(user ? { REMOTE_USER: user } : {}),
      ...(req.headers["git-protocol"] ? { GIT_PROTOCOL: String(req.headers["git-protocol"]) } : {}),
    },
    stdio: ["pipe", "pipe", "inherit"],
  });
  // git may answer (a 404) and exit without reading the body: a closed pipe is not the server's error.
  child.stdin.on("error", () => undefined);
  child.stdin.end(body);
  // CGI output: header lines, a blank line, then the body, which is streamed as it comes.
  let head = Buffer.alloc(0);
  let headersDone = false;
  for await (const chunk of child.stdout) {
    if (headersDone) {
      res.write(chunk);
      continue;
    }
    head = Buffer.concat([head, chunk as Buffer]);
    const end = head.indexOf("\r\n\r\n");
    if (end < 0) continue;
    headersDone = true;
    let status = 200;
    const headers: Record<string, string> = {};
    for (const line of head.subarray(0, end).toString("latin1").split("\r\n")) {
      const colon = line.indexOf(":");
      const name = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (name.toLowerCase() === "status") status = Number.parseInt(value, 10);
      else headers[name] = value;
    }
    entry.status = status;
    res.writeHead(status, headers);
    res.write(head.subarray(end + 4));
  }
  await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.on("close", resolve)));
  if (!headersDone) {
    entry.status = 502;
    res.writeHead(502, { "content-type": "text/plain" });
  }
  res.end();
}

/** A new bare repository `name` under `root` that accepts pushes over HTTP (`http.receivepack true`). Returns its path. */
export function createBareRepository(root: string, name: string): string {
  const path = join(root, name);
  execFileSync("git", ["init", "-q", "--bare", "-b", "main", path]);
  execFileSync("git", ["--git-dir", path, "config", "http.receivepack", "true"]);
  return path;
}

/** `git --git-dir <bare> <args>` as text. */
export function bareGit(bare: string, ...args: string[]): string {
  return execFileSync("git", ["--git-dir", bare, ...args], { encoding: "utf8" });
}
