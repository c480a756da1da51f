import { esc, num, table, title, type Renderer } from "../html.js";

interface FindingView {
  column: string;
  entity: string;
  share: number;
  confidence: number;
  evidence: string;
  sampled: number;
  matched: number;
  examples: string[];
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** HTML summaries for the pii tools; merged into renderResultHtml's table. */
export const piiRenderers: Record<string, Renderer> = {
  scan_pii: (o) => {
    const findings = (o.findings as FindingView[]) ?? [];
    const s = (o.summary as Record<string, number>) ?? {};
    const sub = `${num(s.columns_scanned)} columns · ${num(s.values_scanned)} values scanned in ${num(s.elapsed_ms)} ms · ${findings.length ? `${num(s.columns_with_pii)} column(s) with personal data` : "no personal data found"}`;
    const head = title(`PII scan of <code>${esc(o.dataset_id)}</code>`, sub);
    if (!findings.length) return head;
    return (
      head +
      table(
        ["column", "entity", "share", "confidence", "evidence", "matched / sampled", "examples (masked)"],
        findings.map((f) => [
          `<code>${esc(f.column)}</code>`,
          esc(f.entity),
          pct(f.share),
          `<span style="color: ${f.confidence >= 0.8 ? "#b00020" : f.confidence >= 0.5 ? "#a15c00" : "inherit"}">${f.confidence.toFixed(2)}</span>`,
          esc(f.evidence),
          `${num(f.matched)} / ${num(f.sampled)}`,
          f.examples.map((e) => `<code>${esc(e)}</code>`).join(", "),
        ]),
      )
    );
  },
};
