import type { ErrorPayload } from "../../../../src/comm/protocol.js";
import { askReason } from "../askReason.js";
import { copyButton, h } from "../dom.js";
import { gatesView, reviewInput, type ApprovalView, type GatesView, type OverrideView, type ReportView } from "../gatesView.js";
import type { PanelContext, SidebarPanel } from "./SidebarPanel.js";
import { toolErrorDom } from "./toolErrorDom.js";

type Decision = { state: "running"; text: string } | { state: "done"; text: string } | { state: "failed"; error: ErrorPayload };

/**
 * The Gates panel (get_gate_reports, through the state): the newest quality, governance and cost
 * report with the findings that warn or fail, every override with who let a failed gate through,
 * why and when, and the approvals. A pending request has Approve and Reject buttons: each asks for
 * a reason in a dialog and records the decision with request_governance_review. The panel is
 * redrawn only when the gates' activity changes, so focus and a decision's outcome survive the
 * sidebar's polling.
 */
export class GatesPanel implements SidebarPanel {
  readonly id = "gates";
  readonly label: string;
  readonly node = h("div", { className: "dw-Gates" });
  private shownKey: string | null = null;
  private view: GatesView | null = null;
  /** Decisions made from this panel, by approval key: running, or how they ended. */
  private readonly decisions = new Map<string, Decision>();

  constructor(private readonly ctx: PanelContext) {
    this.label = ctx.trans.__("Gates");
  }

  update(): void {
    const gates = this.ctx.client.gates;
    const key = gates ? JSON.stringify(gates) : null;
    if (key === this.shownKey && this.node.childElementCount > 0) return;
    this.shownKey = key;
    this.view = gates ? gatesView(gates) : null;
    this.draw();
  }

  dispose(): void {
    this.node.replaceChildren();
  }

  private draw(): void {
    const { trans } = this.ctx;
    const view = this.view;
    if (!view) {
      this.node.replaceChildren(h("p", { className: "dw-Sidebar-empty", text: trans.__("The kernel has not reported the gates yet (get_gate_reports).") }));
      return;
    }
    const empty = (text: string) => h("p", { className: "dw-Sidebar-empty", text });
    this.node.replaceChildren(
      h("h4", { className: "dw-Gates-heading", text: trans.__("Newest reports") }),
      ...(view.reports.length
        ? view.reports.map((r) => this.renderReport(r))
        : [empty(trans.__("No gate has run yet: train a model to run the quality, governance and cost gates."))]),
      h("h4", { className: "dw-Gates-heading", text: trans.__("Approvals") }),
      ...(view.pending.length + view.decided.length
        ? [...view.pending, ...view.decided].map((a) => this.renderApproval(a))
        : [empty(trans.__("No approval requested or given."))]),
      h("h4", { className: "dw-Gates-heading", text: trans.__("Overrides") }),
      ...(view.overrides.length ? view.overrides.map((o) => this.renderOverride(o)) : [empty(trans.__("No failed gate was overridden."))]),
    );
  }

  private renderReport(r: ReportView): HTMLElement {
    const { trans, copy } = this.ctx;
    return h(
      "div",
      { className: "dw-GateReport", attrs: { "data-gate": r.gate, "data-status": r.status } },
      h(
        "div",
        { className: "dw-GateReport-title" },
        h("span", { className: "dw-GateReport-gate", text: r.gate }),
        h("span", { className: `dw-Badge dw-GateBadge dw-mod-${r.status}`, text: trans.__(r.status) }),
        h("span", { className: "dw-GateReport-when", text: r.when }),
      ),
      h("div", { className: "dw-GateReport-summary", text: r.summary }),
      h("div", { className: "dw-GateReport-subject", text: r.subject }),
      r.findings.length
        ? h(
            "ul",
            { className: "dw-GateReport-findings" },
            ...r.findings.map((f) =>
              h("li", { className: `dw-Finding dw-mod-${f.status}` }, h("span", { className: "dw-Finding-status", text: `${trans.__(f.status)}: ` }), f.text),
            ),
          )
        : null,
      r.passed ? h("div", { className: "dw-GateReport-passed", text: trans._n("%1 check passed", "%1 checks passed", r.passed) }) : null,
      h(
        "div",
        { className: "dw-Gates-commitRow" },
        h("code", { className: "dw-Gates-commit", text: r.commit.slice(0, 10), title: r.commit }),
        copyButton(r.commit, trans.__("Copy commit"), copy),
      ),
    );
  }

  private renderOverride(o: OverrideView): HTMLElement {
    const { trans } = this.ctx;
    return h(
      "div",
      { className: "dw-Override", attrs: { "data-commit": o.commit } },
      h("div", { className: "dw-Override-headline", text: o.headline }),
      h("blockquote", { className: "dw-Override-reason", text: o.reason }),
      h("div", { className: "dw-Override-subject", text: `${o.subject} · ${o.when}` }),
      o.findings.length
        ? h("ul", { className: "dw-Override-findings", attrs: { "aria-label": trans.__("What had failed") } }, ...o.findings.map((f) => h("li", { text: f })))
        : null,
    );
  }

  private renderApproval(a: ApprovalView): HTMLElement {
    const { trans } = this.ctx;
    const decision = this.decisions.get(a.key);
    const status = h("div", { className: "dw-Approval-status", attrs: { role: "status", "aria-live": "polite" } });
    let outcome: HTMLElement | null = null;
    if (decision?.state === "failed") outcome = toolErrorDom(trans.__("The review"), decision.error, trans);
    else if (decision) status.textContent = decision.text;
    const buttons =
      a.state === "requested"
        ? h(
            "div",
            { className: "dw-Actions" },
            this.decideButton(a, "approve", trans.__("Approve"), trans.__("Approve %1", a.target), decision?.state === "running"),
            this.decideButton(a, "reject", trans.__("Reject"), trans.__("Reject %1", a.target), decision?.state === "running"),
          )
        : null;
    return h(
      "div",
      { className: `dw-Approval dw-mod-${a.state}`, attrs: { "data-approval": a.key, "data-state": a.state } },
      h(
        "div",
        { className: "dw-Approval-title" },
        h("span", { className: "dw-Approval-target", text: a.target }),
        h("span", { className: `dw-Approval-state dw-mod-${a.state}`, text: trans.__(a.state) }),
      ),
      h("div", { className: "dw-Approval-byline", text: `${a.byline} · ${a.when}` }),
      h("blockquote", { className: "dw-Approval-reason", text: a.reason }),
      buttons,
      status,
      outcome,
    );
  }

  private decideButton(a: ApprovalView, decision: "approve" | "reject", text: string, label: string, busy: boolean): HTMLButtonElement {
    const button = h("button", {
      className: `jp-Button jp-mod-styled ${decision === "approve" ? "jp-mod-accept" : "jp-mod-warn"} dw-Approval-${decision}`,
      text,
      attrs: { type: "button", "aria-label": label },
    });
    button.disabled = busy;
    button.addEventListener("click", () => void this.decide(a, decision));
    return button;
  }

  private async decide(a: ApprovalView, decision: "approve" | "reject"): Promise<void> {
    const { trans, client } = this.ctx;
    const input = await askReason({
      title: decision === "approve" ? trans.__("Approve %1", a.target) : trans.__("Reject %1", a.target),
      detail: trans.__("%1: \u201c%2\u201d. The decision, who made it and why are recorded as a review commit.", a.byline, a.reason),
      label: trans.__("Why (at least 10 characters)"),
      accept: decision === "approve" ? trans.__("Approve") : trans.__("Reject"),
      trans,
      check: (reason) => {
        const r = reviewInput(a, decision, reason);
        return r.ok ? { ok: true, value: r.input } : { ok: false, message: trans.__(r.message) };
      },
    });
    if (!input) return;
    this.decisions.set(a.key, { state: "running", text: trans.__("Recording the review…") });
    this.draw();
    try {
      const outcome = await client.callTool({ tool: "request_governance_review", input });
      this.decisions.set(
        a.key,
        outcome.ok
          ? { state: "done", text: decision === "approve" ? trans.__("Approved: review commit recorded.") : trans.__("Rejected: review commit recorded.") }
          : { state: "failed", error: outcome.error },
      );
    } catch (error) {
      this.decisions.set(a.key, { state: "failed", error: { code: "INTERNAL", message: error instanceof Error ? error.message : String(error) } });
    }
    this.draw();
    client.refresh();
  }
}
