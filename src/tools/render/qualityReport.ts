import { html, joinHtml, type Html, type HtmlValue } from "../../render/html.js";
import { fmt, num } from "../../render/blocks.js";
import type { GateFinding, GateStatus } from "../../policy/GateReport.js";
import type { DimensionScore } from "../../quality/QualityReport.js";

/** The pieces run_quality_check and get_quality_score share: a status badge, the dimension scores and the findings. */

// Colours readable on JupyterLab's light and dark themes alike (text on a tinted badge).
const COLOURS: Record<GateStatus, { fg: string; bg: string }> = {
  pass: { fg: "#1a7f37", bg: "rgba(26, 127, 55, 0.14)" },
  warn: { fg: "#9a6700", bg: "rgba(191, 135, 0, 0.18)" },
  fail: { fg: "#cf222e", bg: "rgba(207, 34, 46, 0.14)" },
};

/** pass, warn or fail on a coloured pill. */
export function qualityBadge(status: GateStatus): Html {
  const c = COLOURS[status];
  return html`<span class="dw-status dw-${status}" style="display: inline-block; min-width: 34px; text-align: center; padding: 0 6px; border-radius: 8px; font-weight: 600; color: ${c.fg}; background: ${c.bg}">${status}</span>`;
}

function scoreBar(d: DimensionScore): Html {
  if (d.score === null) return html`<span style="opacity: 0.6">not judged</span>`;
  const c = COLOURS[d.status];
  return html`<span style="display: inline-block; width: 120px; height: 8px; background: var(--jp-layout-color3, #ddd); border-radius: 4px; vertical-align: middle; overflow: hidden"><span style="display: block; height: 100%; width: ${Math.max(0, Math.min(100, d.score))}%; background: ${c.fg}"></span></span> <strong>${fmt(d.score)}</strong>`;
}

const cell = (content: HtmlValue) => html`<td style="text-align: left; padding: 2px 8px; vertical-align: top">${content}</td>`;
const head = (names: string[]) => html`<tr>${names.map((h) => html`<th style="text-align: left; padding: 2px 8px">${h}</th>`)}</tr>`;

/** One row per dimension: its score as a bar, its status and the checks it is made of. */
export function dimensionsTable(dimensions: Record<string, DimensionScore>): Html {
  const rows = Object.entries(dimensions).map(
    ([name, d]) =>
      html`<tr>${cell(name)}${cell(scoreBar(d))}${cell(d.checks.length ? qualityBadge(d.status) : "")}${cell(html`<span style="opacity: 0.7">${d.checks.join(", ")}</span>`)}</tr>`,
  );
  return html`<table style="border-collapse: collapse; margin: 4px 0">${head(["dimension", "score", "status", "checks"])}${rows}</table>`;
}

/** The findings, failures first; passing per-column findings of one check fold into one row. */
export function findingsTable(findings: readonly GateFinding[]): Html {
  // Failures first, then warnings, then passes; the order within each status is the report's.
  const order: Record<GateStatus, number> = { fail: 0, warn: 1, pass: 2 };
  const sorted = findings.map((f, i) => [f, i] as const).sort((a, b) => order[a[0].status] - order[b[0].status] || a[1] - b[1]);
  // Passing per-column findings of one check fold into one row naming the columns; the JSON keeps each.
  const folded: GateFinding[] = [];
  for (const [f] of sorted) {
    const prev = folded[folded.length - 1];
    if (f.status === "pass" && f.column && prev?.status === "pass" && prev.check === f.check && (prev.column || prev.columns)) {
      prev.columns = [...(prev.columns ?? [prev.column!]), f.column];
      prev.column = undefined;
      prev.value = undefined;
      prev.message = `${prev.columns.length} columns pass.`;
    } else folded.push({ ...f });
  }
  const rows = folded.map((f) => {
    const where: Html[] = [];
    if (f.column) where.push(html`<code>${f.column}</code>`);
    if (f.columns?.length)
      where.push(
        joinHtml(
          f.columns.map((c) => html`<code>${c}</code>`),
          ", ",
        ),
      );
    if (f.rows?.length) where.push(html`rows ${joinHtml(f.rows.map(num), ", ")}`);
    return html`<tr>${cell(qualityBadge(f.status))}${cell(f.check)}${cell(joinHtml(where, " · "))}${cell(fmt(f.value))}${cell(fmt(f.threshold))}${cell(f.message)}</tr>`;
  });
  return html`<table style="border-collapse: collapse; margin: 4px 0">${head(["status", "check", "where", "value", "threshold", "finding"])}${rows}</table>`;
}
