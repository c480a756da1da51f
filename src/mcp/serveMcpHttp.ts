import http from "node:http";
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { hostAllowed } from "../server/allowedHosts.js";
import { LOOPBACK_HOSTS } from "../server/createServer.js";
import { isLoopbackHost } from "../server/serve.js";
import { ensureToken, tokenMatches, tokenPath, TOKEN_FILE_SHOWN } from "../server/token.js";
import { createMcpServer, type McpHost } from "./createMcpServer.js";

/** The one path MCP is served at. */
export const MCP_PATH = "/mcp";

/** Sessions kept at most; past this the one used longest ago is closed (a client that never said goodbye). */
const MAX_SESSIONS = 32;

interface Session {
  transport: StreamableHTTPServerTransport;
  server: Server;
}

/**
 * MCP over streamable HTTP for one workspace, at `http://host:port/mcp`, with a session (and an
 * MCP server) per client. Every request must carry the workspace's dw serve token
 * (`Authorization: Bearer`, the token in `.dw/serve-token`, made if there is none), on loopback
 * too: these tools train, deploy and read the registry, which a page in the user's browser or
 * another user of the machine must not do. On a loopback address the Host header must name
 * loopback (a page on a rebound DNS name is refused), as dw serve does.
 *
 * @example
 * ```ts
 * const running = await serveMcpHttp(host, { host: "127.0.0.1", port: 0 });
 * console.log(running.url, running.tokenFile);
 * ```
 */
export async function serveMcpHttp(
  host: McpHost,
  options: { host: string; port: number },
): Promise<{ url: string; tokenFile: string; close(): Promise<void> }> {
  const ws = host.context.workspace;
  const { token } = await ws.withLock(() => ensureToken(ws.dwDir));
  const bound = options.host.toLowerCase().replace(/^\[|\]$/g, "");
  const allowed = isLoopbackHost(options.host) ? new Set([...LOOPBACK_HOSTS, bound]) : null;
  const sessions = new Map<string, Session>();

  const closeSession = async (id: string) => {
    const s = sessions.get(id);
    if (!s) return;
    sessions.delete(id);
    await s.server.close().catch(() => undefined);
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const hosts = req.headersDistinct.host ?? [];
    if (hosts.length > 1) return reply(res, 400, "BAD_REQUEST", "The request has more than one Host header.");
    if (allowed && !hostAllowed(hosts[0], allowed)) {
      return reply(
        res,
        403,
        "PERMISSION_DENIED",
        "The Host header does not name this server: dw mcp on a loopback address answers only requests addressed to loopback names.",
      );
    }
    // Before anything else, so a client without the token learns nothing.
    if (!tokenMatches(req.headersDistinct.authorization, token)) {
      const sent = req.headers.authorization !== undefined;
      res.setHeader("WWW-Authenticate", sent ? 'Bearer realm="dw mcp", error="invalid_token"' : 'Bearer realm="dw mcp"');
      return reply(
        res,
        401,
        "UNAUTHENTICATED",
        `dw mcp answers only requests that carry the workspace's token, as the header Authorization: Bearer <token>. The token is in ${TOKEN_FILE_SHOWN} in the workspace dw mcp serves.`,
      );
    }
    const path = (req.url ?? "/").split("?")[0];
    if (path !== MCP_PATH) return reply(res, 404, "RESOURCE_DOES_NOT_EXIST", `dw mcp answers at ${MCP_PATH} only.`);
    const id = req.headers["mcp-session-id"];
    if (typeof id === "string") {
      const s = sessions.get(id);
      if (!s) return reply(res, 404, "RESOURCE_DOES_NOT_EXIST", "There is no such MCP session (it ended, or this server restarted): initialize a new one.");
      // The most recently used session goes last, so the oldest is first in line to close.
      sessions.delete(id);
      sessions.set(id, s);
      return s.transport.handleRequest(req, res);
    }
    if (req.method !== "POST") return reply(res, 400, "BAD_REQUEST", "A request without an Mcp-Session-Id header must be a POST of initialize.");
    const session: Session = {
      transport: new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (newId) => {
          sessions.set(newId, session);
          const oldest = sessions.size > MAX_SESSIONS ? sessions.keys().next().value : undefined;
          if (oldest !== undefined) void closeSession(oldest);
        },
        onsessionclosed: (closedId) => void closeSession(closedId),
      }),
      server: createMcpServer(host),
    };
    await session.server.connect(session.transport);
    await session.transport.handleRequest(req, res);
    // Not an initialize (the transport refused it): nothing of it is kept.
    if (session.transport.sessionId === undefined) await session.server.close().catch(() => undefined);
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) reply(res, 500, "INTERNAL", `dw mcp failed on this request: ${e instanceof Error ? e.message : String(e)}`);
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${bound.includes(":") ? `[${bound}]` : bound}:${port}${MCP_PATH}`,
    tokenFile: tokenPath(ws.dwDir),
    async close() {
      await Promise.all([...sessions.keys()].map(closeSession));
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function reply(res: http.ServerResponse, status: number, code: string, message: string): void {
  res.writeHead(status, { "Content-Type": "application/json" });
  res.end(`${JSON.stringify({ error_code: code, message })}\n`);
}
