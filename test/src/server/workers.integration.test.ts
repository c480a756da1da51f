import { test, after } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { makeTempWorkspace, stopWorkspaceServer } from "../../helpers/tempWorkspace.js";
import { ok } from "../../helpers/results.js";
import { createToolContext, runTool } from "../../../src/index.js";
import { score } from "./serverFixture.js";
import { startServe } from "./serveProcess.js";

// dw serve's worker processes (src/server/serveWorkers.ts): a worker that dies is replaced while the
// others keep answering, the whole server's counts come from every worker, and a primary killed
// with -9 leaves no worker behind on the port.

const tw = await makeTempWorkspace("dw-workers-");
after(() => tw.cleanup());

const ROW = { dataframe_split: { columns: ["temp_min", "wind"], data: [[5, 4.7]] } };
const PATH = "/models/temp@production/invocations";

/** The pids of a process's children (its workers), from /proc (no procps needed). */
function children(pid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      // The fields after the command (which may hold spaces and parentheses): state, then ppid.
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === pid) out.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return out.sort((a, b) => a - b);
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until(what: string, check: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`timed out waiting until ${what}`);
}

test("a worker killed with -9 is replaced while the server keeps answering; killing the primary stops every worker", { timeout: 180_000 }, async () => {
  const ctx = await createToolContext({ cwd: tw.dir });
  ok(await runTool("load_dataset", { path: "data/seattle-weather.csv", dataset_id: "weather" }, ctx));
  const run = ok(await runTool("train_model", { dataset_id: "weather", target: "temp_max", features: ["temp_min", "wind"] }, ctx)).run_id;
  ok(await runTool("register_model", { model_id: run, model_name: "temp" }, ctx));
  ok(await runTool("deploy_model", { model_name: "temp", alias: "production" }, ctx));
  await stopWorkspaceServer(tw.dir);

  const server = await startServe(tw.dir, ["--workers", "2"]);
  const primary = server.child.pid!;
  try {
    await until("two workers run", () => children(primary).length === 2);
    const expected = (await score(server.base, PATH, ROW)).json.predictions;
    assert.equal(expected.length, 1);

    const [victim] = children(primary);
    process.kill(victim, "SIGKILL");
    // Requests keep being answered while the worker is gone and while its replacement starts.
    for (let i = 0; i < 40; i++) {
      const r = await score(server.base, PATH, ROW);
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.json.predictions, expected);
    }
    await until("the dead worker is replaced", () => {
      const now = children(primary);
      return now.length === 2 && !now.includes(victim);
    });
    assert.match(server.stderr() + (await readLog()), /worker \d+ exited \(SIGKILL\); starting another/);

    // The counts of /status are the whole server's: every request above, whichever worker answered.
    await until("both workers answer for /status", async () => {
      const status = await fetch(`${server.base}/status`).then((r) => r.json() as Promise<{ workers: number; endpoints: { requests: number }[] }>);
      return status.workers === 2 && status.endpoints.reduce((n, e) => n + e.requests, 0) >= 1;
    });

    const workers = children(primary);
    process.kill(primary, "SIGKILL");
    await until("the workers of a killed primary exit", () => workers.every((pid) => !alive(pid)));
  } finally {
    await server.stop();
  }
});

async function readLog(): Promise<string> {
  const { readFile } = await import("node:fs/promises");
  const { join } = await import("node:path");
  return readFile(join(tw.dir, ".dw", "server.log"), "utf8").catch(() => "");
}
