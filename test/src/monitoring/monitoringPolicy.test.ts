import { test, after } from "node:test";
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { makeTempWorkspace, type TempWorkspace } from "../../helpers/tempWorkspace.js";
import { openWorkspace } from "../../../src/workspace/Workspace.js";
import { readMonitoringPolicy } from "../../../src/monitoring/monitoringPolicy.js";
import { DwError } from "../../../src/errors/DwError.js";

const workspaces: TempWorkspace[] = [];
after(() => Promise.all(workspaces.map((w) => w.cleanup())));

async function workspaceWithPolicy(text?: string) {
  const tw = await makeTempWorkspace();
  workspaces.push(tw);
  if (text !== undefined) await writeFile(join(tw.dir, "dw.policy.yaml"), text);
  return openWorkspace(tw.dir);
}

test("without a policy file, or without a monitoring: section, the defaults apply", async () => {
  const expected = {
    log: { full_rate_per_second: 200, file_mb: 16, max_mb: 256, flush_ms: 200, pii: "hash" },
    drift: { every_requests: 1000, every_minutes: 60, window_rows: 5000, min_rows: 1000, method: "auto", threshold: null, drift_share: 0.5 },
  };
  const none = await readMonitoringPolicy(await workspaceWithPolicy());
  assert.deepEqual(none, { policy: expected, file: null });
  const other = await readMonitoringPolicy(await workspaceWithPolicy("cost:\n  on_exceed: warn\n"));
  assert.deepEqual(other, { policy: expected, file: null });
});

test("a partial section keeps the other defaults and takes fractional numbers", async () => {
  const ws = await workspaceWithPolicy("monitoring:\n  log:\n    flush_ms: 20\n    pii: drop\n  drift:\n    every_minutes: 0.02\n    method: psi\n");
  const { policy, file } = await readMonitoringPolicy(ws);
  assert.equal(file, join(ws.root, "dw.policy.yaml"));
  assert.deepEqual(policy.log, { full_rate_per_second: 200, file_mb: 16, max_mb: 256, flush_ms: 20, pii: "drop" });
  assert.equal(policy.drift.every_minutes, 0.02);
  assert.equal(policy.drift.method, "psi");
  assert.equal(policy.drift.window_rows, 5000);
});

test("a mistake is a CONFIG_ERROR naming the file, the line and the field", async () => {
  const ws = await workspaceWithPolicy("monitoring:\n  log:\n    flush_ms: 200\n    pii: clear\n");
  const e = await readMonitoringPolicy(ws).then(
    () => assert.fail("expected a CONFIG_ERROR"),
    (x: unknown) => x as DwError,
  );
  assert.ok(e instanceof DwError);
  assert.equal(e.code, "CONFIG_ERROR");
  assert.match(e.message, /dw\.policy\.yaml, line 4, field monitoring\.log\.pii/);
  assert.match(e.hint ?? "", /hash or drop/);

  const unknown = await workspaceWithPolicy("monitoring:\n  drift:\n    window_rows: 100\n    windw: 3\n");
  await assert.rejects(readMonitoringPolicy(unknown), /line 4, field monitoring\.drift\.windw: unknown field 'windw'/);
  const negative = await workspaceWithPolicy("monitoring:\n  drift:\n    drift_share: 2\n");
  await assert.rejects(readMonitoringPolicy(negative), /line 3, field monitoring\.drift\.drift_share/);
});
