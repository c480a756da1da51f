import type { NextStep } from "../NextStep.js";
import type { RunSummary } from "../../runs/RunSummary.js";
import type { ModelState } from "../../registry/ModelState.js";
import type { ApprovalEvent, GateEvent } from "../../policy/GateActivity.js";
import type { MonitoringStatus } from "../../monitoring/monitor/MonitoringStatus.js";
import { isModelName } from "../../workspace/refNames.js";

/** What the rules of docs/next-steps.md look at: the workspace's state, read by suggestNextSteps. */
export interface NextStepFacts {
  /** The newest runs, newest first (listRecentRuns). */
  runs: RunSummary[];
  models: ModelState[];
  /** For each model whose production alias serves a version: the target and task of that version's run. */
  production: Map<string, { target: string; task: string }>;
  deployments: { model: string; alias: string; version: number; monitoring: MonitoringStatus }[];
  /** The policy's governance.deployment.approval_required_aliases. */
  approvalAliases: string[];
  /** Where approvals stand, for every version with a review chain (readAllApprovals). */
  approvals: ApprovalEvent[];
  /** The reports of the newest deployment commit (the deploy gate's), empty when nothing was deployed. */
  newestDeployment: GateEvent[];
}

/** The alias the rules compare against and productionize serves by default. */
export const PRODUCTION = "production";

/**
 * The next steps the rules of docs/next-steps.md give for these facts, in the rules' order
 * (decide_approval, retrain_on_drift, deploy_better_run, request_approval, review_gate_warning,
 * productionize_first_run) and, within a rule, by id: the same facts give the same list.
 *
 * @example
 * ```ts
 * nextStepRules(facts).map((s) => s.id); // ["deploy_better_run:20260401-090000-a1b2c3"]
 * ```
 */
export function nextStepRules(f: NextStepFacts): NextStep[] {
  const byId = (a: NextStep, b: NextStep) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return [decideApproval(f), retrainOnDrift(f), deployBetterRun(f), requestApproval(f), reviewGateWarning(f), productionizeFirstRun(f)].flatMap((steps) =>
    steps.sort(byId),
  );
}

const label = (model: string, version: number, alias: string | undefined) => `${model} v${version}${alias ? ` → ${alias}` : ""}`;
const fmt = (x: number) => String(Number(x.toPrecision(4)));

function decideApproval(f: NextStepFacts): NextStep[] {
  return f.approvals
    .filter((a) => a.state === "requested")
    .map((a) => ({
      id: `decide_approval:${a.model}/${a.version}:${a.alias ?? "*"}`,
      rule: "decide_approval",
      title: `Decide on ${label(a.model, a.version, a.alias)}`,
      reason: `${a.by} asked for an approval of ${label(a.model, a.version, a.alias)}${a.alias ? "" : " (every alias)"} on ${a.at}: ${a.reason}`,
      action: {
        kind: "tool",
        label: "Approve",
        tool: "request_governance_review",
        input: {
          model_name: a.model,
          version: a.version,
          decision: "approve",
          ...(a.alias !== undefined ? { alias: a.alias } : {}),
          reason: `Approved on ${a.by}'s request: ${a.reason}`,
        },
      },
      subject: { model: a.model, version: a.version, ...(a.alias !== undefined ? { alias: a.alias } : {}) },
    }));
}

function retrainOnDrift(f: NextStepFacts): NextStep[] {
  return f.deployments
    .filter((d) => d.monitoring.state === "drift" && d.monitoring.alert)
    .map((d) => {
      const alert = d.monitoring.alert!;
      const what = [
        alert.dataset_drift ? `dataset drift in ${alert.columns.join(", ") || "the features"}` : "",
        alert.prediction_drift ? "prediction drift" : "",
      ]
        .filter(Boolean)
        .join(" and ");
      const check = d.monitoring.last_check;
      return {
        id: `retrain_on_drift:${d.model}@${d.alias}:${d.version}`,
        rule: "retrain_on_drift",
        title: `Retrain ${d.model}@${d.alias}`,
        reason: `The drift check of ${d.model}@${d.alias} (v${d.version})${check ? ` on ${check.at}, over ${check.rows} logged rows,` : ""} found ${what}, since ${alert.since}.`,
        action: { kind: "tool", label: "Retrain", tool: "retrain_model", input: { model_id: `${d.model}@${d.alias}` } },
        subject: { model: d.model, version: d.version, alias: d.alias },
      } satisfies NextStep;
    });
}

function deployBetterRun(f: NextStepFacts): NextStep[] {
  const out: NextStep[] = [];
  for (const m of f.models) {
    const served = m.aliases[PRODUCTION];
    const prod = f.production.get(m.name);
    const state = m.versions.find((v) => v.version === served);
    if (served === undefined || !prod || !state?.metrics) continue;
    let best: { run: RunSummary; value: number; prodValue: number } | undefined;
    for (const run of f.runs) {
      const metric = run.metric;
      if (!metric || run.error || run.registered.length || run.gate_status === "fail" || run.target !== prod.target || run.task !== prod.task) continue;
      const prodValue = state.metrics[metric.name];
      if (prodValue === undefined) continue;
      const better = metric.higher_is_better ? metric.value > prodValue : metric.value < prodValue;
      const beatsBest = !best || (metric.higher_is_better ? metric.value > best.value : metric.value < best.value);
      if (better && beatsBest) best = { run, value: metric.value, prodValue };
    }
    if (!best) continue;
    const { run, value, prodValue } = best;
    out.push({
      id: `deploy_better_run:${run.run_id}`,
      rule: "deploy_better_run",
      title: `Deploy run ${run.run_id} as ${m.name}`,
      reason: `Run ${run.run_id} (${run.algorithm}) has ${run.metric!.name} ${fmt(value)} on its holdout; ${m.name}@${PRODUCTION} (v${served}) has ${fmt(prodValue)} (${run.metric!.higher_is_better ? "higher" : "lower"} is better), on the same target '${prod.target}'.`,
      action: { kind: "tool", label: "Register and deploy", tool: "productionize", input: { run_id: run.run_id, model_name: m.name } },
      subject: { run_id: run.run_id, model: m.name },
    });
  }
  return out;
}

function requestApproval(f: NextStepFacts): NextStep[] {
  const out: NextStep[] = [];
  for (const m of f.models) {
    const newest = m.versions.find((v) => !v.error);
    if (!newest) continue;
    for (const alias of f.approvalAliases) {
      if (m.aliases[alias] === newest.version) continue;
      const spoken = f.approvals.some((a) => a.model === m.name && a.version === newest.version && (a.alias === undefined || a.alias === alias));
      if (spoken) continue;
      const metrics = Object.entries(newest.metrics ?? {})
        .slice(0, 2)
        .map(([k, v]) => `${k} ${fmt(v)}`)
        .join(", ");
      out.push({
        id: `request_approval:${m.name}/${newest.version}:${alias}`,
        rule: "request_approval",
        title: `Request approval of ${label(m.name, newest.version, alias)}`,
        reason: `The policy (approval_required_aliases) lets ${alias} serve a version only with an approved review, and ${m.name} v${newest.version}, its newest, has none${m.aliases[alias] !== undefined ? ` (${alias} serves v${m.aliases[alias]})` : ""}.`,
        action: {
          kind: "tool",
          label: "Request approval",
          tool: "request_approval",
          input: {
            model_name: m.name,
            version: newest.version,
            alias,
            reason: `${m.name} v${newest.version} (run ${newest.run_id}${metrics ? `, ${metrics}` : ""}) is ready to serve ${alias}.`,
          },
        },
        subject: { model: m.name, version: newest.version, alias },
      });
    }
  }
  return out;
}

function reviewGateWarning(f: NextStepFacts): NextStep[] {
  const out: NextStep[] = [];
  const newestRun = f.runs.find((r) => !r.error);
  for (const g of newestRun?.gates ?? []) {
    if (g.status !== "warn") continue;
    out.push({
      id: `review_gate_warning:${newestRun!.commit}:${g.gate}`,
      rule: "review_gate_warning",
      title: `Read the ${g.gate} warning of run ${newestRun!.run_id}`,
      reason: `The ${g.gate} gate warned when run ${newestRun!.run_id} trained: ${g.summary}`,
      action: { kind: "show_report", label: "Show the report", gate: g.gate, commit: newestRun!.commit },
      subject: { run_id: newestRun!.run_id },
    });
  }
  for (const r of f.newestDeployment) {
    if (r.status !== "warn") continue;
    const s = r.subject;
    out.push({
      id: `review_gate_warning:${s.commit}:${r.gate}`,
      rule: "review_gate_warning",
      title: `Read the ${r.gate} warning of ${s.model}@${s.alias}`,
      reason: `The ${r.gate} gate warned when ${s.model} v${s.version} was deployed to ${s.alias}: ${r.summary}`,
      action: { kind: "show_report", label: "Show the report", gate: r.gate, commit: s.commit },
      subject: {
        ...(s.model !== undefined ? { model: s.model } : {}),
        ...(s.version !== undefined ? { version: s.version } : {}),
        ...(s.alias !== undefined ? { alias: s.alias } : {}),
      },
    });
  }
  return out;
}

/** How many first runs (of different targets) are proposed at most, so a workspace of many experiments is not a wall of buttons. */
const FIRST_RUNS = 3;

function productionizeFirstRun(f: NextStepFacts): NextStep[] {
  if (f.models.length) return [];
  const out: NextStep[] = [];
  const targets = new Set<string>();
  for (const run of f.runs) {
    if (run.error || run.gate_status === "fail" || targets.has(run.target) || out.length >= FIRST_RUNS) continue;
    targets.add(run.target);
    const metric = run.metric ? ` with ${run.metric.name} ${fmt(run.metric.value)} on its holdout` : "";
    out.push({
      id: `productionize_first_run:${run.run_id}`,
      rule: "productionize_first_run",
      title: `Productionize run ${run.run_id}`,
      reason: `No model is registered yet; run ${run.run_id} (${run.algorithm} on ${run.data.dataset_id}) is the newest that predicts '${run.target}'${metric}.`,
      action: {
        kind: "tool",
        label: "Register and deploy",
        tool: "productionize",
        input: { run_id: run.run_id, ...(isModelName(run.target) ? { model_name: run.target } : {}) },
      },
      subject: { run_id: run.run_id },
    });
  }
  return out;
}
