import type http from "node:http";

/** Writes a whole answer once; a response already sent or a socket already gone is left alone. */
export function send(res: http.ServerResponse, status: number, body: string, type: string, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { ...headers, "Content-Type": type, "Content-Length": Buffer.byteLength(body) });
  res.end(body);
}

/** send with a JSON body. */
export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  send(res, status, JSON.stringify(body), "application/json", headers);
}
