import { esc, fmt, kv, note, section, table, title, type Renderer } from "../html.js";

interface FindingView {
  check: string;
  status: "pass" | "warn" | "fail";
  message: string;
  value?: number | string;
  threshold?: number | string;
}

const COLORS = { pass: "#1b7f3b", warn: "#a15c00", fail: "#b00020", allow: "#1b7f3b", review: "#a15c00", deny: "#b00020" } as const;
const badge = (s: string) => `<strong style="color: ${COLORS[s as keyof typeof COLORS] ?? "inherit"}">${esc(s.toUpperCase())}</strong>`;

function findingsTable(findings: FindingView[]): string {
  if (!findings.length) return "";
  return table(
    ["", "check", "what", "value", "limit"],
    findings.map((f) => [
      badge(f.status),
      `<code>${esc(f.check)}</code>`,
      esc(f.message),
      f.value === undefined ? "" : fmt(f.value),
      f.threshold === undefined ? "" : esc(f.threshold),
    ]),
  );
}

/** HTML summaries for the governance tools; merged into renderResultHtml's table. */
export const governanceRenderers: Record<string, Renderer> = {
  check_policy: (o) => {
    const subject = (o.subject as Record<string, unknown>) ?? {};
    const what =
      subject.kind === "training"
        ? `training on <code>${esc(subject.dataset_id)}</code>`
        : `deploying <code>${esc(subject.model_name)}</code> v${esc(subject.version)}${subject.alias ? ` → <code>${esc(subject.alias)}</code>` : ""}`;
    const review = o.review as { decision: string; reviewer: string; reviewed_at: string; reason: string } | undefined;
    return (
      title(`Governance ${badge(String(o.decision))}: ${what}`, esc(o.summary)) +
      findingsTable((o.findings as FindingView[]) ?? []) +
      (review
        ? section("Review") +
          kv([
            ["decision", esc(review.decision)],
            ["by", esc(review.reviewer)],
            ["when", esc(review.reviewed_at)],
            ["why", esc(review.reason)],
          ])
        : "") +
      note(o.policy_file ? `policy: ${esc(o.policy_file)}` : "policy: defaults (no governance: section in dw.policy.yaml)")
    );
  },
  request_governance_review: (o) =>
    title(
      `${o.decision === "approve" ? "Approved" : "Rejected"} <code>${esc(o.model_name)}</code> v${esc(o.version)}${o.alias ? ` for <code>${esc(o.alias)}</code>` : ""}`,
      `by ${esc(o.reviewer)} at ${esc(o.reviewed_at)} · commit ${esc(String(o.commit).slice(0, 12))} on ${esc(o.ref)}`,
    ) +
    kv([["why", esc(o.reason)]]) +
    note(`git log ${esc(o.ref)}`),
  estimate_cost: (o) => {
    const e = (o.estimate as Record<string, unknown>) ?? {};
    const mem = (e.memory_breakdown_gb as Record<string, number>) ?? {};
    const cal = (e.calibration as Record<string, unknown>) ?? {};
    const rows: [string, string][] = [
      ["training time", `${fmt(e.train_seconds)} s`],
      [
        "peak memory",
        `${fmt(e.peak_memory_gb)} GB <span style="opacity: 0.7">(process ${fmt(mem.process)} + data ${fmt(mem.data)} + matrix ${fmt(mem.feature_matrix)} + fit ${fmt(mem.fit)})</span>`,
      ],
    ];
    if (e.cost_usd !== undefined) rows.push(["cost", `$${fmt(e.cost_usd)} at $${fmt(e.price_per_hour_usd)}/hour`]);
    return (
      title(`Cost ${badge(String(o.status))}: <code>${esc(e.algorithm)}</code> on ${fmt(e.rows)} × ${fmt(e.features)}`, esc(o.summary)) +
      kv(rows) +
      findingsTable((o.findings as FindingView[]) ?? []) +
      ((e.notes as string[]) ?? []).map((n) => `<div style="opacity: 0.75">${esc(n)}</div>`).join("") +
      note(`calibrated ${cal.fresh ? "now" : esc(cal.calibrated_at)} on ${esc(cal.cpu_model)} × ${esc(cal.cpus)} (${esc(cal.took_s)} s) · ${esc(cal.file)}`)
    );
  },
};
