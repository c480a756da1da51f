// A git smart HTTP server for benchmarks: node:http on a free port of 127.0.0.1 in front of git's
// own `git http-backend` (a CGI program, one process per request), serving every bare repository
// under a folder. Unlike the tests' server it passes the request's Content-Encoding on: git's own
// client gzips a large fetch request (many wants), which git http-backend inflates only when told.
import { spawn } from "node:child_process";
import { createServer } from "node:http";

const GIT_HTTP_BACKEND = "/usr/lib/git-core/git-http-backend";

/** Starts the server over `root`; answers { url(name), close() }. Pushes need `http.receivepack true` in the bare repository. */
export async function startGitHttpServer(root) {
  const server = createServer((req, res) => {
    serve(root, req, res).catch((e) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(String(e));
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    url: (name) => `${origin}/${name}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function serve(root, req, res) {
  const url = new URL(req.url ?? "/", "http://localhost");
  const child = spawn(GIT_HTTP_BACKEND, [], {
    env: {
      PATH: process.env.PATH,
      GIT_PROJECT_ROOT: root,
      GIT_HTTP_EXPORT_ALL: "1",
      PATH_INFO: url.pathname,
      QUERY_STRING: url.search.slice(1),
      REQUEST_METHOD: req.method ?? "GET",
      CONTENT_TYPE: req.headers["content-type"] ?? "",
      ...(req.headers["content-length"] ? { CONTENT_LENGTH: req.headers["content-length"] } : {}),
      ...(req.headers["content-encoding"] ? { HTTP_CONTENT_ENCODING: req.headers["content-encoding"] } : {}),
      ...(req.headers["git-protocol"] ? { GIT_PROTOCOL: String(req.headers["git-protocol"]) } : {}),
      REMOTE_ADDR: "127.0.0.1",
    },
    stdio: ["pipe", "pipe", "inherit"],
  });
  child.stdin.on("error", () => undefined); // git may answer (a 404) without reading the body
  req.pipe(child.stdin);
  // CGI output: header lines, a blank line, then the body, streamed as it comes.
  let head = Buffer.alloc(0);
  let body = false;
  for await (const chunk of child.stdout) {
    if (body) {
      res.write(chunk);
      continue;
    }
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf("\r\n\r\n");
    if (end < 0) continue;
    body = true;
    let status = 200;
    const headers = {};
    for (const line of head.subarray(0, end).toString("latin1").split("\r\n")) {
      const colon = line.indexOf(":");
      const name = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (name.toLowerCase() === "status") status = Number.parseInt(value, 10);
      else headers[name] = value;
    }
    res.writeHead(status, headers);
    res.write(head.subarray(end + 4));
  }
  if (!body) res.writeHead(502, { "content-type": "text/plain" });
  res.end();
}
