import type { ApprovalEvent, GateActivity, GateEvent, OverrideEvent } from "../../../src/comm/protocol.js";
import { shortTime } from "./runsView.js";

/**
 * What the Gates panel shows, as data (no DOM): the newest report of each gate with the findings
 * that need a look, every override with who, why and when, and the approvals, the pending ones
 * with what Approve and Reject send to request_governance_review. Tested without a browser.
 */
export interface GatesView {
  reports: ReportView[];
  overrides: OverrideView[];
  pending: ApprovalView[];
  decided: ApprovalView[];
  /** What changes when anything shown changes: the panel redraws only when this does. */
  key: string;
}

export interface ReportView {
  gate: GateEvent["gate"];
  status: GateEvent["status"];
  summary: string;
  /** `train_model · run 2026…` or `deploy_model · temp v2 @production`, and when. */
  subject: string;
  when: string;
  commit: string;
  /** The findings that warn or fail, first the failures. */
  findings: { status: "warn" | "fail"; text: string }[];
  /** How many checks passed, not listed one by one. */
  passed: number;
}

export interface OverrideView {
  /** `Ada <ada@example.com> let governance through`. */
  headline: string;
  reason: string;
  subject: string;
  when: string;
  findings: string[];
  commit: string;
}

export interface ApprovalView {
  /** `temp v2 @production`, or `temp v2 (every alias)`. */
  target: string;
  state: ApprovalEvent["state"];
  /** `requested by Bob`, `approved by Ada`. */
  byline: string;
  reason: string;
  when: string;
  commit: string;
  /** What request_governance_review needs besides the decision and the reason. */
  review: { model_name: string; version: number; alias?: string };
  /** A stable id for the DOM, from the model, version and alias. */
  key: string;
}

export function gatesView(activity: GateActivity): GatesView {
  const approvals = activity.approvals.map(approvalView);
  return {
    reports: activity.latest.map(reportView),
    overrides: activity.overrides.map(overrideView),
    pending: approvals.filter((a) => a.state === "requested"),
    decided: approvals.filter((a) => a.state !== "requested"),
    key: JSON.stringify(activity),
  };
}

/** What a gate looked at: the step, and the run or model version. */
export function subjectText(subject: GateEvent["subject"]): string {
  const version = subject.model
    ? `${subject.model}${subject.version !== undefined ? ` v${subject.version}` : ""}${subject.alias ? ` @${subject.alias}` : ""}`
    : "";
  const on = [version, subject.run_id ? `run ${subject.run_id}` : ""].filter(Boolean).join(", ");
  return on ? `${subject.step} · ${on}` : subject.step;
}

function reportView(report: GateEvent): ReportView {
  const flagged = report.findings.filter((f): f is typeof f & { status: "warn" | "fail" } => f.status !== "pass");
  flagged.sort((a, b) => (a.status === b.status ? 0 : a.status === "fail" ? -1 : 1));
  return {
    gate: report.gate,
    status: report.status,
    summary: report.summary,
    subject: subjectText(report.subject),
    when: shortTime(report.checked_at),
    commit: report.subject.commit,
    findings: flagged.map((f) => ({ status: f.status, text: `${f.check}${f.column ? ` (${f.column})` : ""}: ${f.message}` })),
    passed: report.findings.length - flagged.length,
  };
}

function overrideView(o: OverrideEvent): OverrideView {
  return {
    headline: `${o.by} let ${o.gates.length ? o.gates.join(" and ") : "a failed gate"} through`,
    reason: o.reason,
    subject: subjectText(o.subject),
    when: shortTime(o.at),
    findings: o.findings.map((f) => `${f.gate} · ${f.check}: ${f.message}`),
    commit: o.subject.commit,
  };
}

const VERBS: Record<ApprovalEvent["state"], string> = { requested: "requested by", approved: "approved by", rejected: "rejected by" };

function approvalView(a: ApprovalEvent): ApprovalView {
  return {
    target: `${a.model} v${a.version} ${a.alias ? `@${a.alias}` : "(every alias)"}`,
    state: a.state,
    byline: `${VERBS[a.state]} ${a.by}`,
    reason: a.reason,
    when: shortTime(a.at),
    commit: a.commit,
    review: { model_name: a.model, version: a.version, ...(a.alias !== undefined ? { alias: a.alias } : {}) },
    key: `${a.model}/${a.version}/${a.alias ?? ""}`,
  };
}

/** The least a review's reason must say (request_governance_review's own rule). */
export const MIN_REASON = 10;

/**
 * request_governance_review's input for Approve or Reject with a typed reason, or what is wrong with
 * the reason (checked here too so the dialog can ask again instead of failing in the kernel).
 */
export function reviewInput(
  approval: ApprovalView,
  decision: "approve" | "reject",
  reason: string,
): { ok: true; input: Record<string, unknown> } | { ok: false; message: string } {
  const text = reason.trim();
  if (text.length < MIN_REASON) {
    return { ok: false, message: `Say why in at least ${MIN_REASON} characters (${text.length} so far): the reason is recorded in the review commit.` };
  }
  return { ok: true, input: { ...approval.review, decision, reason: text } };
}
