import { test } from "node:test";
import assert from "node:assert/strict";
import { nextStepRules, type NextStepFacts } from "../../../../src/deployment/nextSteps/nextStepRules.js";
import { MonitoringStatus } from "../../../../src/monitoring/monitor/MonitoringStatus.js";

// The drift rule on a monitoring status as readMonitoringStatus returns it (checked by its schema):
// producing real drift takes a served model and a day of logged traffic, which the monitoring
// tests do; here the rule's reading of that status is what is tested.
const drifting = MonitoringStatus.parse({
  state: "drift",
  ref: "refs/dw/monitoring/temp/production",
  version: 3,
  started_at: "2026-05-01T09:00:00.000Z",
  schedule: null,
  checks: 4,
  last_check: {
    at: "2026-05-03T10:00:00.000Z",
    commit: "a".repeat(40),
    rows: 500,
    version: 3,
    window: { from: "2026-05-03T08:00:00.000Z", to: "2026-05-03T10:00:00.000Z" },
    share_drifted: 0.67,
    dataset_drift: true,
    drifted_columns: ["temp_min", "wind"],
    prediction_drift: false,
  },
  alert: { since: "2026-05-02T10:00:00.000Z", columns: ["temp_min", "wind"], dataset_drift: true, prediction_drift: false },
  note: "drift",
});
const quiet = MonitoringStatus.parse({ ...drifting, state: "ok", alert: null });
const facts = (deployments: NextStepFacts["deployments"]): NextStepFacts => ({
  runs: [],
  models: [],
  production: new Map(),
  deployments,
  approvalAliases: [],
  approvals: [],
  newestDeployment: [],
});

test("an endpoint whose last check found drift gets a retrain step naming the columns; a quiet one none; order is by id whatever the input order", () => {
  const steps = nextStepRules(
    facts([
      { model: "temp", alias: "production", version: 3, monitoring: drifting },
      { model: "churn", alias: "production", version: 1, monitoring: drifting },
      { model: "rain", alias: "production", version: 2, monitoring: quiet },
    ]),
  );
  assert.deepEqual(
    steps.map((s) => s.id),
    ["retrain_on_drift:churn@production:1", "retrain_on_drift:temp@production:3"],
  );
  assert.deepEqual(steps[1].action, { kind: "tool", label: "Retrain", tool: "retrain_model", input: { model_id: "temp@production" } });
  assert.match(steps[1].reason, /on 2026-05-03T10:00:00\.000Z, over 500 logged rows, found dataset drift in temp_min, wind, since 2026-05-02/);
});
