import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { makeTempWorkspace, type TempWorkspace } from "../../helpers/tempWorkspace.js";
import { connectStdio, type StdioSession } from "./mcpClients.js";

// Train and deploy through MCP as an agent does: load_dataset, train_model with progress,
// register_model, deploy_model (which starts the workspace's dw serve), and the endpoint scores.
// A long call cancelled by the client stops with INTERRUPTED, writes no run, and the server goes on.

let tw: TempWorkspace;
let mcp: StdioSession;

before(async () => {
  tw = await makeTempWorkspace("dw-mcp-");
  mcp = await connectStdio(tw.dir);
});
after(async () => {
  await mcp?.close();
  // Stops the dw serve deploy_model started.
  await tw.cleanup();
});

type Call = { isError?: boolean; structuredContent?: Record<string, any>; content: unknown };

async function call(
  name: string,
  args: Record<string, unknown>,
  options: Parameters<StdioSession["client"]["callTool"]>[2] = {},
): Promise<Record<string, any>> {
  const r = (await mcp.client.callTool({ name, arguments: args }, undefined, { timeout: 120_000, ...options })) as Call;
  if (r.isError) assert.fail(`${name} failed: ${JSON.stringify(r.content)}`);
  return r.structuredContent!;
}

const runIds = async () =>
  JSON.parse(((await mcp.client.readResource({ uri: "dw://runs" })).contents[0] as { text: string }).text).runs.map((r: { run_id: string }) => r.run_id);

test("load_dataset, train_model with progress notifications, register_model and deploy_model through MCP; the endpoint scores", async () => {
  // A relative path names a file of the workspace, whatever folder the agent started dw mcp from.
  const loaded = await call("load_dataset", { path: "data/seattle-weather.csv", dataset_id: "weather" });
  assert.equal(loaded.rows, 1461);

  const progress: { progress: number; total?: number; message?: string }[] = [];
  const run = await call(
    "train_model",
    {
      dataset_id: "weather",
      target: "temp_max",
      features: ["precipitation", "temp_min", "wind"],
      algorithm: "random_forest",
      hyperparameters: { n_estimators: 40 },
    },
    { onprogress: (p) => progress.push(p) },
  );
  // The fit reports its first tree always, then at most four times a second.
  assert.ok(progress.length >= 1, "progress notifications arrived");
  assert.ok(
    progress.every((p, i) => i === 0 || p.progress > progress[i - 1].progress),
    `progress only grows: ${JSON.stringify(progress)}`,
  );
  for (const p of progress) {
    assert.equal(p.total, 40);
    assert.ok(p.progress >= 1 && p.progress <= 40);
    assert.match(p.message ?? "", new RegExp(`^random_forest: ${p.progress} of 40 trees built$`));
  }

  const runDoc = JSON.parse(((await mcp.client.readResource({ uri: `dw://runs/${run.run_id}` })).contents[0] as { text: string }).text);
  assert.equal(runDoc.run.origin.via, "mcp");

  const reg = await call("register_model", { model_id: run.run_id, model_name: "temp" });
  assert.equal(reg.version, 1);
  const dep = await call("deploy_model", { model_name: "temp", alias: "production" });
  assert.match(dep.endpoint_url, /\/models\/temp@production\/invocations$/);
  const res = await fetch(dep.endpoint_url, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ dataframe_split: { columns: ["precipitation", "temp_min", "wind"], data: [[0, 5, 4.7]] } }),
  });
  assert.equal(res.status, 200);
  const { predictions } = (await res.json()) as { predictions: number[] };
  assert.equal(predictions.length, 1);
  assert.ok(predictions[0] > -10 && predictions[0] < 40, `a daily high in °C: ${predictions[0]}`);

  const deployment = JSON.parse(((await mcp.client.readResource({ uri: "dw://deployments/temp/production" })).contents[0] as { text: string }).text);
  assert.equal(deployment.record.version, 1);
  assert.equal(deployment.gates.governance, "dw://deployments/temp/production/gates/governance");
});

test("a cancelled train_model stops with INTERRUPTED, writes no run, and the server answers the next call", async () => {
  const before = await runIds();
  const controller = new AbortController();
  let progressed = false;
  const started = new Promise<void>((resolve) => {
    const pending = mcp.client.callTool(
      {
        name: "train_model",
        arguments: { dataset_id: "weather", target: "temp_max", algorithm: "random_forest", hyperparameters: { n_estimators: 2000 } },
      },
      undefined,
      {
        signal: controller.signal,
        timeout: 120_000,
        onprogress: () => {
          if (!progressed) resolve();
          progressed = true;
        },
      },
    );
    pending.then(
      () => assert.fail("the cancelled call answered"),
      () => undefined,
    );
  });
  // Cancel once trees are being built: the fit is under way.
  await started;
  const cancelledAt = Date.now();
  controller.abort("the user changed their mind");

  // The training's record (.dw/trainings/) ends as interrupted, by dw's INTERRUPTED, soon after the cancel.
  const dir = join(tw.dir, ".dw", "trainings");
  let record: { state: string; error?: { code: string }; pid: number } | undefined;
  while (Date.now() - cancelledAt < 20_000) {
    // Records only: atomicWrite's half-written .<name>.<pid>.<hex>.tmp files sit beside them, and a
    // record can be removed between the listing and the read.
    const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith(".json") && !f.startsWith("."));
    const records = await Promise.all(
      files.map(async (f) =>
        readFile(join(dir, f), "utf8").then(
          (t) => JSON.parse(t),
          () => undefined,
        ),
      ),
    );
    record = records.find((r) => r?.state === "interrupted");
    if (record) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(record, "the training recorded that it was interrupted");
  assert.equal(record.error?.code, "INTERRUPTED");
  assert.equal(record.pid, mcp.pid);

  assert.deepEqual(await runIds(), before);
  const state = await call("get_workspace_state", {});
  assert.ok(Array.isArray(state.models));
});
