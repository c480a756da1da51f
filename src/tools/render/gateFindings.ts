import { html, type Html } from "../../render/html.js";
import { fmt, table } from "../../render/blocks.js";
import type { GateFinding } from "../../policy/GateReport.js";

/** What check_policy and estimate_cost share: an upper-case coloured outcome and the table of findings. */

const COLORS: Record<string, string> = { pass: "#1b7f3b", warn: "#a15c00", fail: "#b00020", allow: "#1b7f3b", review: "#a15c00", deny: "#b00020" };

/** A status or decision in capitals, coloured by how bad it is. */
export function gateBadge(s: string): Html {
  return html`<strong style="color: ${Object.hasOwn(COLORS, s) ? COLORS[s] : "inherit"}">${s.toUpperCase()}</strong>`;
}

/** One row per finding: status, check, message, the value measured and its limit; nothing when there is none. */
export function gateFindingsTable(findings: readonly GateFinding[]): Html {
  if (!findings.length) return html``;
  return table(
    ["", "check", "what", "value", "limit"],
    findings.map((f) => [gateBadge(f.status), html`<code>${f.check}</code>`, f.message, f.value === undefined ? "" : fmt(f.value), f.threshold ?? ""]),
  );
}
