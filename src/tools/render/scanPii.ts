import { html, joinHtml, type Html } from "../../render/html.js";
import { num, table, title } from "../../render/blocks.js";
import type { OutputOf } from "../defineTool.js";
import type { scanPii } from "../scanPii.js";

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** The columns holding personal data: what kind, how much, how sure, why, and masked examples. */
export function renderScanPii(o: OutputOf<typeof scanPii>): Html {
  const s = o.summary;
  const findings = o.findings;
  const sub = html`${num(s.columns_scanned)} columns · ${num(s.values_scanned)} values scanned in ${num(s.elapsed_ms)} ms · ${
    findings.length ? html`${num(s.columns_with_pii)} column(s) with personal data` : "no personal data found"
  }`;
  const head = title(html`PII scan of <code>${o.dataset_id}</code>`, sub);
  if (!findings.length) return head;
  return html`${head}${table(
    ["column", "entity", "share", "confidence", "evidence", "matched / sampled", "examples (masked)"],
    findings.map((f) => [
      html`<code>${f.column}</code>`,
      f.entity,
      pct(f.share),
      html`<span style="color: ${f.confidence >= 0.8 ? "#b00020" : f.confidence >= 0.5 ? "#a15c00" : "inherit"}">${f.confidence.toFixed(2)}</span>`,
      f.evidence,
      html`${num(f.matched)} / ${num(f.sampled)}`,
      joinHtml(
        f.examples.map((e) => html`<code>${e}</code>`),
        ", ",
      ),
    ]),
  )}`;
}
