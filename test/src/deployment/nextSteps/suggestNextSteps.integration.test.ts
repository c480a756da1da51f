import { before, after } from "node:test";
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { makeTempWorkspace, type TempWorkspace } from "../../../helpers/tempWorkspace.js";
import { testSequence } from "../../../helpers/testSequence.js";
import { createToolContext, runTool, type ToolContext } from "../../../../src/index.js";
import { ok } from "../../../helpers/results.js";
import { NextStep } from "../../../../src/deployment/NextStep.js";
import { renderResultHtml } from "../../../../src/tools/renderResultHtml.js";

let tw: TempWorkspace;
let ctx: ToolContext;
const FEATURES = ["precipitation", "temp_min", "wind"];
const runs: Record<string, string> = {};

const steps = async (): Promise<NextStep[]> => {
  const out = ok(await runTool("suggest_next_steps", {}, ctx));
  return out.steps.map((s: unknown) => NextStep.parse(s)); // what the sidebar's comm validates
};
const ofRule = (all: NextStep[], rule: string) => all.filter((s) => s.rule === rule);
/** Does what the step's button does: its tool with its input. */
const act = async (s: NextStep) => {
  assert.equal(s.action.kind, "tool");
  if (s.action.kind !== "tool") throw new Error("not a tool step");
  return ok(await runTool(s.action.tool, s.action.input, ctx));
};

before(async () => {
  tw = await makeTempWorkspace();
  let t = Date.parse("2026-05-01T09:00:00Z");
  ctx = { ...(await createToolContext({ cwd: tw.dir, origin: { via: "test" } })), now: () => new Date((t += 60_000)) };
  ok(await runTool("load_dataset", { path: "data/seattle-weather.csv", dataset_id: "weather" }, ctx));
});
after(async () => tw.cleanup());

const step = testSequence("next steps follow the workspace from a first run to an approved better model, in order");

step("an empty workspace proposes nothing", async () => {
  assert.deepEqual(await steps(), []);
  assert.match(renderResultHtml("suggest_next_steps", { steps: [] }) ?? "", /nothing waits/);
});

step("a first run with no model: productionize it, and its button does", async () => {
  runs.weak = ok(await runTool("train_model", { dataset_id: "weather", target: "temp_max", features: ["precipitation"] }, ctx)).run_id;
  const all = await steps();
  const [first, ...more] = ofRule(all, "productionize_first_run");
  assert.equal(more.length, 0);
  assert.equal(first.id, `productionize_first_run:${runs.weak}`);
  assert.deepEqual(first.action, { kind: "tool", label: "Register and deploy", tool: "productionize", input: { run_id: runs.weak, model_name: "temp_max" } });
  assert.match(first.reason, /No model is registered yet; run .* is the newest that predicts 'temp_max' with r2 /);
  // Stable: the same state gives the same steps.
  assert.deepEqual(await steps(), all);
  const shipped = await act(first);
  assert.equal(shipped.model_name, "temp_max");
  assert.deepEqual(ofRule(await steps(), "productionize_first_run"), []);
});

step("a run that beats production on its holdout metric: deploy it; a worse one is not proposed", async () => {
  runs.worse = ok(await runTool("train_model", { dataset_id: "weather", target: "temp_max", features: ["wind"] }, ctx)).run_id;
  assert.deepEqual(ofRule(await steps(), "deploy_better_run"), []);
  runs.better = ok(await runTool("train_model", { dataset_id: "weather", target: "temp_max", features: FEATURES }, ctx)).run_id;
  const [better, ...more] = ofRule(await steps(), "deploy_better_run");
  assert.equal(more.length, 0);
  assert.equal(better.id, `deploy_better_run:${runs.better}`);
  assert.deepEqual(better.subject, { run_id: runs.better, model: "temp_max" });
  assert.deepEqual(better.action, {
    kind: "tool",
    label: "Register and deploy",
    tool: "productionize",
    input: { run_id: runs.better, model_name: "temp_max" },
  });
  assert.match(better.reason, /has r2 0\.\d+ on its holdout; temp_max@production \(v1\) has 0\.\d+ \(higher is better\), on the same target 'temp_max'/);
  assert.match(renderResultHtml("suggest_next_steps", { steps: [better] }) ?? "", /productionize/);
});

step("an alias the policy guards: request the approval, then decide it; each button does what it says", async () => {
  await writeFile(join(tw.dir, "dw.policy.yaml"), "governance:\n  deployment:\n    approval_required_aliases: [production]\n");
  // v1 already serves production: nothing to request for it.
  assert.deepEqual(ofRule(await steps(), "request_approval"), []);
  ok(await runTool("register_model", { model_id: runs.better, model_name: "temp_max" }, ctx));
  let all = await steps();
  assert.deepEqual(ofRule(all, "deploy_better_run"), [], "a registered run is no longer proposed for deployment");
  const [request] = ofRule(all, "request_approval");
  assert.equal(request.id, "request_approval:temp_max/2:production");
  assert.match(request.reason, /production serves v1/);
  const asked = await act(request);
  assert.equal(asked.state, "requested");

  all = await steps();
  assert.deepEqual(ofRule(all, "request_approval"), []);
  const [decide] = ofRule(all, "decide_approval");
  assert.equal(decide.id, "decide_approval:temp_max/2:production");
  assert.equal(all[0], decide, "a waiting request comes first");
  assert.equal(decide.action.kind === "tool" && decide.action.tool, "request_governance_review");
  const review = await act(decide);
  assert.equal(review.decision, "approve");
  assert.equal(ok(await runTool("check_policy", { model_name: "temp_max", version: 2, alias: "production" }, ctx)).decision, "allow");
  all = await steps();
  assert.deepEqual(ofRule(all, "decide_approval"), []);
  assert.deepEqual(ofRule(all, "request_approval"), []);
});

step("a gate warning in the newest run points at its report", async () => {
  // An e-mail column named as a feature makes the governance gate warn where the policy allows e-mail addresses.
  await writeFile(
    join(tw.dir, "dw.policy.yaml"),
    "governance:\n  training:\n    forbidden_pii_features: [US_SSN]\n  deployment:\n    approval_required_aliases: [production]\n",
  );
  const rows = ["id,contact,x,y", ...Array.from({ length: 60 }, (_, i) => `${i},user${i % 12}@example.com,${i % 7},${(i % 7) + (i % 5) * 3}`)];
  await writeFile(join(tw.dir, "data", "contacts.csv"), `${rows.join("\n")}\n`);
  ok(await runTool("load_dataset", { path: "data/contacts.csv", dataset_id: "contacts" }, ctx));
  const run = ok(await runTool("train_model", { dataset_id: "contacts", target: "y", features: ["x", "contact"] }, ctx));
  const warned = (run.gates ?? []).filter((g: { status: string }) => g.status === "warn").map((g: { gate: string }) => g.gate);
  const shown = ofRule(await steps(), "review_gate_warning").filter((s) => s.subject.run_id === run.run_id);
  assert.ok(warned.length > 0, `expected a warning from the gates, got ${JSON.stringify(run.gates)}`);
  assert.deepEqual(shown.map((s) => s.action.kind === "show_report" && s.action.gate).sort(), [...warned].sort());
  for (const s of shown) assert.equal(s.action.kind === "show_report" && s.action.commit, run.commit);
});
