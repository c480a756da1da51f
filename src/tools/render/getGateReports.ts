import { html, type Html } from "../../render/html.js";
import { note, section, table, title } from "../../render/blocks.js";
import type { GateSubject } from "../../policy/GateActivity.js";
import type { GetGateReportsOutput } from "../getGateReports.js";
import { gateBadge } from "./gateFindings.js";

/** get_gate_reports as a cell's output: the newest report of each gate with its findings that did not pass, the overrides, the approvals. */
export function renderGetGateReports(o: GetGateReportsOutput): Html {
  const latest = o.latest.length
    ? table(
        ["gate", "status", "on", "summary", "findings"],
        o.latest.map((r) => [
          r.gate,
          gateBadge(r.status),
          html`${subjectText(r.subject)}<div style="opacity: 0.75">${r.checked_at}</div>`,
          r.summary,
          html`${r.findings.filter((f) => f.status !== "pass").map((f) => html`<div>${gateBadge(f.status)} <code>${f.check}</code> ${f.message}</div>`)}`,
        ]),
      )
    : note("no gate has run yet: train_model runs the quality, governance and cost gates");
  const overrides = o.overrides.length
    ? table(
        ["when", "who", "on", "gates", "why"],
        o.overrides.map((v) => [v.at, v.by, subjectText(v.subject), v.gates.join(", "), v.reason]),
      )
    : note("no override: nothing went past a failed gate");
  const approvals = o.approvals.length
    ? table(
        ["version", "state", "who", "when", "why"],
        o.approvals.map((a) => [
          html`<code>${a.model}</code> v${a.version}${a.alias ? html` → <code>${a.alias}</code>` : ""}`,
          approvalBadge(a.state),
          a.by,
          a.at,
          a.reason,
        ]),
      )
    : note("no review or approval request yet");
  const more = o.omitted.overrides + o.omitted.approvals;
  return html`${title("Gates", `${o.latest.length} gate${o.latest.length === 1 ? "" : "s"} reported, ${o.overrides.length} override${o.overrides.length === 1 ? "" : "s"}, ${o.approvals.filter((a) => a.state === "requested").length} approval request(s) waiting`)}${section("Newest reports")}${latest}${section("Overrides")}${overrides}${section("Approvals")}${approvals}${
    more ? note(`${more} older override(s) and approval(s) left out: pass --limit to see more`) : ""
  }${o.problems.map((p) => note(p))}`;
}

function subjectText(s: GateSubject): Html {
  const what =
    s.step === "train_model"
      ? html`run <code>${s.run_id ?? ""}</code>`
      : html`<code>${s.model ?? ""}@${s.alias ?? ""}</code>${s.version !== undefined ? ` v${s.version}` : ""}`;
  return html`${s.step}: ${what} <span style="opacity: 0.6">${s.commit.slice(0, 10)}</span>`;
}

const STATE_COLORS = { approved: "#1b7f3b", requested: "#a15c00", rejected: "#b00020" } as const;

/** An approval's state in capitals, coloured as a gate status of the same weight. */
function approvalBadge(state: keyof typeof STATE_COLORS): Html {
  return html`<strong style="color: ${STATE_COLORS[state]}">${state.toUpperCase()}</strong>`;
}
