import type { TranslationBundle } from "@jupyterlab/translation";
import { Widget } from "@lumino/widgets";
import type { ErrorPayload, ProductionizeResult, StepProgress } from "../../../src/comm/protocol.js";
import type { ProductionizeOutcome, ProductionizeRequest, ToolCallOutcome, ToolCallRequest } from "../tokens.js";
import { copyButton, h } from "./dom.js";
import { productionizeErrorNode, productionizeResultNode } from "./ProductionizeResultBody.js";
import {
  applyStep,
  type BlockedView,
  blockedView,
  formatSeconds,
  plannedRows,
  reasonShortBy,
  rowsFromSteps,
  type StepRow,
  stepsOfError,
} from "./ProductionizeStepsView.js";

export interface ProductionizeStepsOptions {
  trans: TranslationBundle;
  /** What to productionize; an override reason is added when the user gives one. */
  request: ProductionizeRequest;
  productionize(request: ProductionizeRequest, onStep: (step: StepProgress) => void): Promise<ProductionizeOutcome>;
  callTool(request: ToolCallRequest): Promise<ToolCallOutcome>;
  copy(text: string): void;
  /** Heard once the model is live (the plugin opens the sidebar). */
  onLive?(result: ProductionizeResult): void;
}

/** The symbol beside each status (the status is also said in words, for screen readers). */
const SYMBOL: Record<StepRow["status"], string> = {
  pending: "○",
  running: "◌",
  passed: "✓",
  warned: "!",
  failed: "✗",
  overridden: "↷",
  skipped: "–",
};

let instances = 0;

/**
 * The body of the Productionize dialog: each step (snapshot, quality, cost, register, governance,
 * deploy, monitoring) with its status and time as the kernel reports it, then the endpoint, curl
 * and monitoring; or, when a gate blocks, its reasons and a reason field to override it (which
 * runs productionize again with that reason) or to request an approval (request_approval). Rows
 * and the reason field are updated in place, so what the user typed stays while steps come in.
 */
export class ProductionizeSteps extends Widget {
  private rows: StepRow[] = plannedRows();
  private ended = false;
  private readonly list = h("ol", { className: "dw-ProductionizeSteps-list" });
  private readonly items = new Map<string, HTMLLIElement>();
  private readonly live = h("p", { className: "dw-ProductionizeSteps-live", attrs: { role: "status", "aria-live": "polite" } });
  private readonly outcome = h("div", { className: "dw-ProductionizeSteps-outcome" });
  private readonly uid = `dw-productionize-${++instances}`;

  constructor(private readonly options: ProductionizeStepsOptions) {
    super();
    this.addClass("dw-ProductionizeSteps");
    this.list.setAttribute("aria-label", options.trans.__("Productionize steps"));
    this.node.append(this.list, this.live, this.outcome);
    this.renderRows();
  }

  /** Runs productionize (with `overrideReason` when the user gave one) and shows each step as it comes. */
  async start(overrideReason?: string): Promise<void> {
    const { trans } = this.options;
    this.rows = plannedRows();
    this.ended = false;
    this.node.dataset.state = "running";
    this.outcome.replaceChildren();
    this.live.textContent = overrideReason ? trans.__("Productionizing again, with your override reason…") : trans.__("Productionizing…");
    this.renderRows();
    const request: ProductionizeRequest = overrideReason ? { ...this.options.request, override_reason: overrideReason } : this.options.request;
    let outcome: ProductionizeOutcome;
    try {
      outcome = await this.options.productionize(request, (step) => {
        this.rows = applyStep(this.rows, step);
        this.renderRows();
        this.live.textContent = `${this.stepLabel(step.name)}: ${this.statusLabel(step.status)}`;
      });
    } catch (error) {
      outcome = { ok: false, error: { code: "NOT_CONNECTED", message: error instanceof Error ? error.message : String(error) } };
    }
    this.ended = true;
    if (outcome.ok) {
      this.rows = rowsFromSteps(this.rows, outcome.result.steps ?? []);
      this.renderRows();
      this.node.dataset.state = "live";
      this.live.textContent = trans.__("%1@%2 is live.", outcome.result.model_name, outcome.result.alias);
      this.outcome.replaceChildren(productionizeResultNode(outcome.result, trans, this.options.copy));
      this.outcome.scrollIntoView({ block: "nearest" });
      this.options.onLive?.(outcome.result);
      return;
    }
    this.rows = rowsFromSteps(this.rows, stepsOfError(outcome.error));
    this.renderRows();
    const blocked = blockedView(outcome.error);
    this.node.dataset.state = blocked ? "blocked" : "failed";
    this.live.textContent = blocked
      ? trans.__("Blocked at the %1 gate.", blocked.gates.join(", "))
      : trans.__("Productionize failed: %1", outcome.error.message);
    this.outcome.replaceChildren(blocked ? this.blockedNode(blocked) : productionizeErrorNode(outcome.error, trans));
    this.outcome.scrollIntoView({ block: "nearest" });
  }

  private renderRows(): void {
    for (const row of this.rows) {
      let li = this.items.get(row.name);
      if (!li) {
        li = h("li", { className: "dw-ProductionizeSteps-step", attrs: { "data-step": row.name } });
        this.items.set(row.name, li);
      }
      const status = row.status === "pending" && this.ended ? "not-reached" : row.status;
      li.dataset.status = status;
      li.replaceChildren(
        h("span", { className: "dw-ProductionizeSteps-symbol", attrs: { "aria-hidden": "true" }, text: SYMBOL[row.status] }),
        h("span", { className: "dw-ProductionizeSteps-name", text: this.stepLabel(row.name) }),
        h("span", { className: "dw-ProductionizeSteps-status", text: this.statusLabel(status) }),
        h("span", { className: "dw-ProductionizeSteps-time", text: row.seconds === undefined ? "" : formatSeconds(row.seconds) }),
      );
      if (row.detail) li.append(h("span", { className: "dw-ProductionizeSteps-detail", text: row.detail }));
    }
    // In the order of the rows; a node already in place is not moved.
    this.rows.forEach((row, i) => {
      const li = this.items.get(row.name)!;
      if (this.list.children[i] !== li) this.list.insertBefore(li, this.list.children[i] ?? null);
    });
  }

  /** The reasons of the blocked gate, and a reason field with Override and Request approval. */
  private blockedNode(blocked: BlockedView): HTMLElement {
    const { trans } = this.options;
    const fieldId = `${this.uid}-reason`;
    const countId = `${this.uid}-count`;
    const reason = h("textarea", {
      className: "dw-ProductionizeBlocked-input jp-mod-styled",
      attrs: { id: fieldId, rows: "2", "aria-describedby": countId, placeholder: trans.__("e.g. the e-mail column is hashed upstream before scoring") },
    });
    const count = h("span", { className: "dw-ProductionizeBlocked-count", attrs: { id: countId } });
    const override = h("button", {
      className: "jp-Button jp-mod-styled jp-mod-warn dw-ProductionizeBlocked-override",
      text: trans.__("Override and productionize"),
      attrs: { type: "button" },
    });
    const request = blocked.approvalHelps
      ? h("button", { className: "jp-Button jp-mod-styled dw-ProductionizeBlocked-request", text: trans.__("Request approval"), attrs: { type: "button" } })
      : null;
    const answer = h("div", { className: "dw-ProductionizeBlocked-answer", attrs: { role: "status", "aria-live": "polite" } });
    const sync = (): void => {
      const short = reasonShortBy(reason.value);
      count.textContent =
        short === 0 ? trans.__("The reason is recorded with your name.") : trans._n("%1 more character needed", "%1 more characters needed", short);
      override.disabled = short > 0;
      if (request) request.disabled = short > 0;
    };
    reason.addEventListener("input", sync);
    sync();
    override.addEventListener("click", () => {
      if (reasonShortBy(reason.value) === 0) void this.start(reason.value.trim());
    });
    request?.addEventListener("click", () => {
      if (reasonShortBy(reason.value) > 0 || !blocked.target) return;
      void this.requestApproval(blocked.target, reason.value.trim(), request, answer);
    });

    const node = h("section", { className: "dw-ProductionizeBlocked", attrs: { "aria-label": trans.__("Blocked gate") } });
    node.dataset.gates = blocked.gates.join(" ");
    if (blocked.target) Object.assign(node.dataset, { model: blocked.target.model_name, version: String(blocked.target.version), alias: blocked.target.alias });
    node.append(
      h("h3", { className: "dw-ProductionizeBlocked-title", text: trans.__("Blocked at the %1 gate", blocked.gates.join(", ")) }),
      h(
        "ul",
        { className: "dw-ProductionizeBlocked-reasons" },
        ...blocked.reasons.map((r) =>
          h(
            "li",
            { className: "dw-ProductionizeBlocked-reason", attrs: { "data-check": r.check ?? "" } },
            h("span", { className: "dw-ProductionizeBlocked-check", text: r.check ? `${r.gate}/${r.check}` : r.gate }),
            " ",
            r.message,
          ),
        ),
      ),
      h("p", {
        className: "dw-ProductionizeBlocked-help",
        text: blocked.approvalHelps
          ? trans.__(
              "Nothing ships past a failed gate without a reason. Override it (recorded in the deployment commit with your name), or ask a reviewer to approve this version.",
            )
          : trans.__(
              "Nothing ships past a failed gate without a reason. Fix what it names, or override it (recorded in the deployment commit with your name).",
            ),
      }),
      h("label", { className: "dw-ProductionizeBlocked-label", text: trans.__("Reason"), attrs: { for: fieldId } }),
      reason,
      count,
      h("div", { className: "dw-Actions dw-ProductionizeBlocked-actions" }, override, request),
      answer,
    );
    return node;
  }

  private async requestApproval(target: NonNullable<BlockedView["target"]>, reason: string, button: HTMLButtonElement, answer: HTMLElement): Promise<void> {
    const { trans } = this.options;
    button.disabled = true;
    answer.dataset.state = "running";
    answer.replaceChildren(trans.__("Requesting approval…"));
    let outcome: ToolCallOutcome;
    try {
      outcome = await this.options.callTool({ tool: "request_approval", input: { ...target, reason } });
    } catch (error) {
      outcome = { ok: false, tool: "request_approval", error: { code: "NOT_CONNECTED", message: error instanceof Error ? error.message : String(error) } };
    }
    button.disabled = false;
    if (!outcome.ok) {
      answer.dataset.state = "failed";
      answer.replaceChildren(errorLine(outcome.error));
      return;
    }
    const o = outcome.output as { requested_by?: unknown; decide?: unknown; already_requested?: unknown };
    const decide = typeof o.decide === "string" ? o.decide : "";
    answer.dataset.state = "requested";
    answer.replaceChildren(
      h("p", {
        text:
          o.already_requested === true
            ? trans.__("This approval was already requested; it still waits for a reviewer.")
            : trans.__(
                "Approval of %1 v%2 for %3 requested by %4. Productionize again once a reviewer approves.",
                target.model_name,
                target.version,
                target.alias,
                String(o.requested_by ?? ""),
              ),
      }),
    );
    if (decide)
      answer.append(
        h("pre", { className: "dw-ProductionizeBlocked-decide", text: decide }),
        copyButton(decide, trans.__("Copy the reviewer's line"), this.options.copy),
      );
  }

  private stepLabel(name: string): string {
    const { trans } = this.options;
    switch (name) {
      case "snapshot":
        return trans.__("Snapshot");
      case "quality":
        return trans.__("Quality gate");
      case "cost":
        return trans.__("Cost gate");
      case "register":
        return trans.__("Register");
      case "governance":
        return trans.__("Governance gate");
      case "deploy":
        return trans.__("Deploy");
      case "monitoring":
        return trans.__("Monitoring");
      default:
        return name;
    }
  }

  private statusLabel(status: StepRow["status"] | "not-reached"): string {
    const { trans } = this.options;
    switch (status) {
      case "pending":
        return trans.__("waiting");
      case "not-reached":
        return trans.__("not reached");
      case "running":
        return trans.__("running…");
      case "passed":
        return trans.__("passed");
      case "warned":
        return trans.__("passed with warnings");
      case "failed":
        return trans.__("failed");
      case "overridden":
        return trans.__("overridden");
      case "skipped":
        return trans.__("skipped");
    }
  }
}

function errorLine(error: ErrorPayload): HTMLElement {
  return h("p", { className: "dw-ProductionizeBlocked-error" }, error.message, error.hint ? h("br") : null, error.hint ?? "");
}
