// dw serve's request limits (issue 13), set by flags on a real `dw serve` process: each over-limit
// request gets its documented status and words, and the server answers a normal request right after.
import { stopWorkspaceServer } from "../../helpers/tempWorkspace.js";
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { servedWorkspace, rawRequest, score, TEMP_ROW, type ServedWorkspace } from "./serverFixture.js";
import { startServe, failingServe, type ServeProcess } from "./serveProcess.js";

const SCORE = "/models/temp@production/invocations";
let sw: ServedWorkspace;
let expected: number;
let running: ServeProcess | undefined;

before(async () => {
  sw = await servedWorkspace();
  expected = (await score(sw.base, SCORE, TEMP_ROW)).json.predictions[0];
  await stopWorkspaceServer(sw.tw.dir);
});
after(async () => {
  await running?.stop();
  await sw.tw.cleanup();
});

/** A normal request right after an over-limit one is still answered, with the same prediction. */
async function stillServes(base: string): Promise<void> {
  const r = await score(base, SCORE, TEMP_ROW);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.predictions[0], expected);
}

/** A connection that has sent `text` and is kept open: what the server answers, once it closes the connection. */
function openConnection(base: string, text: string): { socket: net.Socket; answer: Promise<string> } {
  const url = new URL(base);
  const socket = net.connect(Number(url.port), url.hostname);
  socket.write(text);
  socket.setEncoding("utf8");
  let got = "";
  const answer = new Promise<string>((resolve, reject) => {
    socket.on("data", (d: string) => (got += d));
    socket.on("end", () => resolve(got));
    socket.on("close", () => resolve(got));
    socket.on("error", reject);
  });
  return { socket, answer };
}

const head = (length: number) =>
  `POST ${SCORE} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\nConnection: close\r\n\r\n`;

test("a body over --max-body-bytes is a 413 and too many rows a 400, each naming the limit", async () => {
  // One process, so the two held requests below count against the same limit (each worker has its own).
  running = await startServe(sw.tw.dir, ["--max-body-bytes", "2000", "--max-rows", "3", "--max-in-flight", "2"], { DW_SERVE_WORKERS: "1" });
  const big = await score(running.base, SCORE, { ...TEMP_ROW, params: { pad: "x".repeat(3000) } });
  assert.equal(big.status, 413, big.text);
  assert.match(big.json.message, /larger than 2000 bytes/);
  await stillServes(running.base);

  const rows = { dataframe_split: { columns: TEMP_ROW.dataframe_split.columns, data: Array(4).fill(TEMP_ROW.dataframe_split.data[0]) } };
  const tooMany = await score(running.base, SCORE, rows);
  assert.equal(tooMany.status, 400, tooMany.text);
  assert.match(tooMany.json.message, /at most 3 per request/);
  const csv = await rawRequest(running.base, {
    method: "POST",
    path: SCORE,
    headers: { "Content-Type": "text/csv" },
    body: `precipitation,temp_min,wind\n${"0,5,4.7\n".repeat(4)}`,
  });
  assert.equal(csv.status, 400, csv.body);
  assert.match(JSON.parse(csv.body).message, /more than 3 per request/);
  rows.dataframe_split.data.pop();
  assert.equal((await score(running.base, SCORE, rows)).json.predictions.length, 3);
});

test("past --max-in-flight requests get a 503 with Retry-After, health routes still answer, and the held requests finish", async () => {
  assert.ok(running);
  const body = JSON.stringify(TEMP_ROW);
  // Two requests whose bodies have not all arrived: each holds its place until the rest comes.
  const held = [openConnection(running.base, head(body.length) + body.slice(0, 10)), openConnection(running.base, head(body.length) + body.slice(0, 10))];
  let full: Awaited<ReturnType<typeof score>> | undefined;
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const r = await score(running.base, SCORE, TEMP_ROW);
    if (r.status === 503) {
      full = r;
      break;
    }
    assert.equal(r.status, 200, r.text);
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.ok(full, "no 503 while two requests were in flight");
  const answer = await rawRequest(running.base, { path: "/models/temp@production" });
  assert.equal(answer.status, 503);
  assert.equal(answer.headers["retry-after"], "1");
  assert.equal(full.json.error_code, "TEMPORARILY_UNAVAILABLE");
  assert.match(full.json.message, /handling 2 requests already.*--max-in-flight/);
  assert.equal((await rawRequest(running.base, { path: "/ping" })).status, 200);

  for (const h of held) h.socket.write(body.slice(10));
  for (const h of held) {
    const text = await h.answer;
    assert.match(text, /^HTTP\/1\.1 200 /);
    assert.equal(JSON.parse(text.slice(text.indexOf("\r\n\r\n") + 4)).predictions[0], expected);
  }
  await stillServes(running.base);
  await running.stop();
  running = undefined;
});

test("a request not whole within --request-timeout-ms gets a JSON 408 naming the limit and its connection closed", async () => {
  running = await startServe(sw.tw.dir, ["--request-timeout-ms", "1000"]);
  const body = JSON.stringify(TEMP_ROW);
  const cases = {
    "a body cut short": head(body.length) + body.slice(0, 10),
    "headers cut short": `POST ${SCORE} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Ty`,
  };
  for (const [what, text] of Object.entries(cases)) {
    const started = Date.now();
    const answer = await openConnection(running.base, text).answer;
    assert.match(answer, /^HTTP\/1\.1 408 /, `${what}: ${answer}`);
    assert.match(answer, /\r\nconnection: close\r\n/i, what);
    const json = JSON.parse(answer.slice(answer.indexOf("\r\n\r\n") + 4));
    assert.equal(json.error_code, "REQUEST_TIMEOUT", what);
    assert.match(json.message, /within 1000 ms.*--request-timeout-ms/, what);
    // Answered after the limit, not before (the bound on the late side is the test's own timeout).
    assert.ok(Date.now() - started >= 900, `${what}: answered after ${Date.now() - started} ms`);
    await stillServes(running.base);
  }
  const log = await readFile(join(sw.tw.dir, ".dw", "server.log"), "utf8").catch(() => "");
  assert.doesNotMatch(log + running.stderr(), /INTERNAL|\n\s+at /);
});

test("limit flags are whole numbers of at least 1, and bodies held at once allow one of the largest", async () => {
  await running?.stop();
  running = undefined;
  for (const args of [
    ["--max-rows", "0"],
    ["--max-in-flight", "two"],
    ["--request-timeout-ms", "1.5"],
    ["--max-body-bytes", "2000", "--max-buffered-bytes", "1000"],
  ]) {
    const r = await failingServe(sw.tw.dir, args);
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(args[args.length - 2]), args.join(" "));
  }
});
