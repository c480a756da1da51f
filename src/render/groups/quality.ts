import { esc, fmt, note, num, title, type Renderer } from "../html.js";

type Status = "pass" | "warn" | "fail";
interface Finding {
  check: string;
  status: Status;
  message: string;
  column?: string;
  value?: number | string;
  threshold?: number | string;
  rows?: number[];
  columns?: string[];
}
interface Dimension {
  score: number | null;
  status: Status;
  checks: string[];
}

// Colours readable on JupyterLab's light and dark themes alike (text on a tinted badge).
const COLOURS: Record<Status, { fg: string; bg: string }> = {
  pass: { fg: "#1a7f37", bg: "rgba(26, 127, 55, 0.14)" },
  warn: { fg: "#9a6700", bg: "rgba(191, 135, 0, 0.18)" },
  fail: { fg: "#cf222e", bg: "rgba(207, 34, 46, 0.14)" },
};

function badge(status: Status): string {
  const c = COLOURS[status] ?? COLOURS.fail;
  return `<span class="dw-status dw-${esc(status)}" style="display: inline-block; min-width: 34px; text-align: center; padding: 0 6px; border-radius: 8px; font-weight: 600; color: ${c.fg}; background: ${c.bg}">${esc(status)}</span>`;
}

function scoreBar(d: Dimension): string {
  if (d.score === null) return `<span style="opacity: 0.6">not judged</span>`;
  const c = COLOURS[d.status] ?? COLOURS.pass;
  return `<span style="display: inline-block; width: 120px; height: 8px; background: var(--jp-layout-color3, #ddd); border-radius: 4px; vertical-align: middle; overflow: hidden"><span style="display: block; height: 100%; width: ${Math.max(0, Math.min(100, d.score))}%; background: ${c.fg}"></span></span> <strong>${fmt(d.score)}</strong>`;
}

const cell = (html: string) => `<td style="text-align: left; padding: 2px 8px; vertical-align: top">${html}</td>`;
const head = (names: string[]) => `<tr>${names.map((h) => `<th style="text-align: left; padding: 2px 8px">${esc(h)}</th>`).join("")}</tr>`;

function dimensionsTable(dimensions: Record<string, Dimension>): string {
  const rows = Object.entries(dimensions).map(
    ([name, d]) =>
      `<tr>${cell(esc(name))}${cell(scoreBar(d))}${cell(d.checks.length ? badge(d.status) : "")}${cell(`<span style="opacity: 0.7">${esc(d.checks.join(", "))}</span>`)}</tr>`,
  );
  return `<table style="border-collapse: collapse; margin: 4px 0">${head(["dimension", "score", "status", "checks"])}${rows.join("")}</table>`;
}

function findingsTable(findings: Finding[]): string {
  // Failures first, then warnings, then passes; the order within each status is the report's.
  const order: Record<Status, number> = { fail: 0, warn: 1, pass: 2 };
  const sorted = findings.map((f, i) => [f, i] as const).sort((a, b) => order[a[0].status] - order[b[0].status] || a[1] - b[1]);
  // Passing per-column findings of one check fold into one row naming the columns; the JSON keeps each.
  const folded: Finding[] = [];
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
    const where = [
      f.column ? `<code>${esc(f.column)}</code>` : "",
      f.columns?.length ? f.columns.map((c) => `<code>${esc(c)}</code>`).join(", ") : "",
      f.rows?.length ? `rows ${f.rows.map((r) => num(r)).join(", ")}` : "",
    ]
      .filter(Boolean)
      .join(" · ");
    return `<tr>${cell(badge(f.status))}${cell(esc(f.check))}${cell(where)}${cell(fmt(f.value))}${cell(fmt(f.threshold))}${cell(esc(f.message))}</tr>`;
  });
  return `<table style="border-collapse: collapse; margin: 4px 0">${head(["status", "check", "where", "value", "threshold", "finding"])}${rows.join("")}</table>`;
}

/** HTML summaries for the quality tools; merged into renderResultHtml's table. */
export const qualityRenderers: Record<string, Renderer> = {
  run_quality_check: (o) => {
    const scores = o.scores as { overall: number; dimensions: Record<string, Dimension> };
    const findings = (o.findings as Finding[]) ?? [];
    const timings = o.timings_ms as { profile: number; checks: number } | undefined;
    const against = o.reference_run
      ? `compared with the training data of run <code>${esc(o.reference_run)}</code>`
      : "no earlier training of this dataset to compare with";
    return (
      title(
        `Quality of <code>${esc(o.dataset_id)}</code>: ${badge(o.status as Status)} score ${fmt(scores.overall)}`,
        `${num(o.rows)} rows · ${(o.columns_checked as string[]).length} columns checked${o.target ? ` · target <code>${esc(o.target)}</code>` : ""} · ${against}`,
      ) +
      dimensionsTable(scores.dimensions) +
      findingsTable(findings) +
      note(
        `profiled ${o.source === "sql" ? "in the database" : "in memory"} in ${fmt(timings?.profile)} ms · thresholds from dw.policy.yaml (quality:) or the defaults`,
      )
    );
  },
  get_quality_score: (o) => {
    const scores = o.scores as { overall: number; dimensions: Record<string, Dimension> };
    const failed = (o.failed as string[]) ?? [];
    const warned = (o.warned as string[]) ?? [];
    return (
      title(
        `Quality score of <code>${esc(o.dataset_id)}</code>: ${fmt(scores.overall)} ${badge(o.status as Status)}`,
        `${failed.length} failed · ${warned.length} warned${o.reference_run ? ` · against run <code>${esc(o.reference_run)}</code>` : ""}`,
      ) +
      dimensionsTable(scores.dimensions) +
      (failed.length ? `<div>failed: ${failed.map((f) => `<code>${esc(f)}</code>`).join(", ")}</div>` : "") +
      (warned.length ? `<div>warned: ${warned.map((f) => `<code>${esc(f)}</code>`).join(", ")}</div>` : "")
    );
  },
};
