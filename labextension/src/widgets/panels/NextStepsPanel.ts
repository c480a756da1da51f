import { CommandIds } from "../../commandIds.js";
import { askReason } from "../askReason.js";
import { h } from "../dom.js";
import { retrainView } from "../monitoringView.js";
import { errorLines, nextStepsView, toolOutcomeSummary, type NextStepView, type StepActivity } from "../nextStepsView.js";
import type { PanelContext, SidebarPanel } from "./SidebarPanel.js";

/** Tools whose reason is recorded as the user's words: the panel asks for it before calling them. */
const REASONED_TOOLS = new Set(["request_governance_review", "request_approval"]);

/** One step's card and the parts of it that change. */
interface StepCard {
  node: HTMLElement;
  title: HTMLElement;
  reason: HTMLElement;
  subject: HTMLElement;
  button: HTMLButtonElement;
  status: HTMLElement;
  view: NextStepView;
}

/**
 * The Next steps panel: what the agent proposes (suggest_next_steps, through `client.nextSteps`),
 * each step with its title, its reason with the numbers, and a button that does it: a tool call
 * through the comm with its progress and outcome (error message and hint) shown on the step, or
 * the app's own UI for productionize (the steps dialog), retrain_model (the retrain command) and
 * reports (the Gates panel). Cards are kept by step id and updated in place, so a running step's
 * progress and the keyboard focus survive the sidebar's redraws every few seconds. With no step,
 * it says what to do first.
 */
export class NextStepsPanel implements SidebarPanel {
  readonly id = "next-steps";
  readonly label: string;
  readonly node = h("div", { className: "dw-NextSteps" });
  private readonly list = h("ol", { className: "dw-NextSteps-list" });
  private readonly empty = h("div", { className: "dw-NextSteps-empty" });
  /** The last action that ended, whether or not its step is still listed. */
  private readonly outcome = h("div", { className: "dw-NextSteps-outcome", attrs: { role: "status", "aria-live": "polite" } });
  private readonly cards = new Map<string, StepCard>();
  private readonly activities = new Map<string, StepActivity>();
  private emptyKey = "";

  constructor(private readonly ctx: PanelContext) {
    this.label = ctx.trans.__("Next steps");
    this.outcome.hidden = true;
    this.node.append(this.outcome, this.list, this.empty);
  }

  update(): void {
    const { client } = this.ctx;
    const state = client.state;
    const view = nextStepsView(client.nextSteps, {
      runs: client.runs?.length ?? 0,
      models: state?.models.length ?? 0,
      endpoints: state?.endpoints.length ?? 0,
    });
    const steps = view.kind === "steps" ? view.steps : [];
    const keep = new Set(steps.map((s) => s.id));
    for (const [id, card] of this.cards) {
      // A step whose action still runs stays until it ends, even when the state moved on.
      if (keep.has(id) || this.activities.get(id)?.state === "running") continue;
      card.node.remove();
      this.cards.delete(id);
    }
    const order: HTMLElement[] = [];
    for (const step of steps) {
      const card = this.cards.get(step.id) ?? this.createCard(step);
      this.fill(card, step);
      order.push(card.node);
    }
    for (const [id, card] of this.cards) if (!keep.has(id)) order.push(card.node);
    const current = [...this.list.children];
    if (current.length !== order.length || current.some((node, i) => node !== order[i])) this.list.replaceChildren(...order);
    for (const card of this.cards.values()) this.showActivity(card);

    this.list.hidden = this.cards.size === 0;
    this.empty.hidden = view.kind !== "empty";
    if (view.kind === "empty") this.showEmpty(view.headline, view.detail, view.lines);
  }

  dispose(): void {
    this.cards.clear();
    this.node.replaceChildren();
  }

  private showEmpty(headline: string, detail: string, lines: string[]): void {
    const key = [headline, detail, ...lines].join("\n");
    if (key === this.emptyKey) return;
    this.emptyKey = key;
    const { trans, copy } = this.ctx;
    const code = lines.join("\n");
    const button = h("button", { className: "jp-Button jp-mod-minimal dw-CopyButton", text: trans.__("Copy"), attrs: { type: "button" } });
    button.addEventListener("click", () => copy(code));
    this.empty.replaceChildren(
      h("p", { className: "dw-NextSteps-emptyHeadline", text: trans.__(headline) }),
      h("p", { className: "dw-Sidebar-empty", text: trans.__(detail) }),
      ...(code ? [h("pre", { className: "dw-NextSteps-code", text: code }), h("div", { className: "dw-Actions" }, button)] : []),
    );
  }

  private createCard(step: NextStepView): StepCard {
    const title = h("div", { className: "dw-NextStep-title" });
    const reason = h("div", { className: "dw-NextStep-reason" });
    const subject = h("div", { className: "dw-NextStep-subject" });
    const button = h("button", { className: "jp-Button jp-mod-styled jp-mod-accept dw-NextStep-button", attrs: { type: "button" } });
    const status = h("div", { className: "dw-NextStep-status", attrs: { role: "status", "aria-live": "polite" } });
    const node = h(
      "li",
      { className: "dw-NextStep", attrs: { "data-step": step.id, "data-rule": step.rule } },
      title,
      reason,
      subject,
      h("div", { className: "dw-Actions" }, button),
      status,
    );
    const card: StepCard = { node, title, reason, subject, button, status, view: step };
    button.addEventListener("click", () => void this.run(card));
    this.cards.set(step.id, card);
    return card;
  }

  private fill(card: StepCard, step: NextStepView): void {
    card.view = step;
    setText(card.title, step.title);
    setText(card.reason, step.reason);
    setText(card.subject, step.subject);
    card.subject.hidden = step.subject === "";
    setText(card.button, step.button);
    card.button.setAttribute("aria-label", `${step.button}: ${step.title}`);
  }

  /** Does the step: the app command it opens, or its tool through the comm with progress. */
  private async run(card: StepCard): Promise<void> {
    const { trans } = this.ctx;
    const step = card.view;
    const d = step.dispatch;
    if (this.activities.get(step.id)?.state === "running") return;
    if (d.kind === "command") {
      const running =
        d.command === CommandIds.productionize ? trans.__("Productionizing in its dialog…") : d.command === CommandIds.retrain ? trans.__("Retraining…") : "";
      if (running) this.setActivity(step.id, { state: "running", progress: running });
      try {
        await this.ctx.execute(d.command, d.args);
        if (running) this.end(step, this.commandOutcome(step, d.command, d.args));
      } catch (error) {
        this.end(step, { state: "failed", error: { code: "COMMAND_FAILED", message: error instanceof Error ? error.message : String(error) } });
      }
      return;
    }
    // A review or a request for one records its reason under the user's name: they read the
    // suggested words and confirm or change them, never sign what they did not see.
    let input = d.input;
    if (REASONED_TOOLS.has(d.tool) && typeof input.reason === "string") {
      const reason = await askReason({
        title: step.title,
        detail: step.reason,
        label: trans.__("Reason, recorded in the commit under your name"),
        accept: step.button,
        trans,
        initial: input.reason,
        check: (text) => (text.trim().length >= 10 ? { ok: true, value: text.trim() } : { ok: false, message: trans.__("Say why in at least 10 characters.") }),
      });
      if (reason === null) return;
      input = { ...input, reason };
    }
    this.setActivity(step.id, { state: "running", progress: trans.__("Running %1…", d.tool) });
    try {
      const outcome = await this.ctx.client.callTool({ tool: d.tool, input }, (p) =>
        this.setActivity(step.id, {
          state: "running",
          progress: p.step ? `${p.step.name}: ${p.step.status}${p.step.detail ? ` (${p.step.detail})` : ""}` : p.message,
        }),
      );
      this.end(step, outcome.ok ? { state: "done", summary: toolOutcomeSummary(d.tool, outcome.output) } : { state: "failed", error: outcome.error });
    } catch (error) {
      this.end(step, { state: "failed", error: { code: "NOT_CONNECTED", message: error instanceof Error ? error.message : String(error) } });
    }
  }

  /**
   * How a command step ended. The Productionize dialog showed its own result (served, or blocked
   * at a gate), so the panel only says it closed; a retraining's result is in client.retrains.
   */
  private commandOutcome(step: NextStepView, command: string, args: Record<string, string>): Exclude<StepActivity, { state: "running" }> {
    const { trans } = this.ctx;
    if (command === CommandIds.productionize) {
      return {
        state: "done",
        headline: trans.__("Productionize dialog closed: %1", step.title),
        summary: trans.__("Productionize of run %1 ran in its dialog; a version it served shows under Endpoints.", args.run_id ?? ""),
      };
    }
    const activity = this.ctx.client.retrains.get(args.model_id ?? "");
    if (activity?.state === "failed") return { state: "failed", error: activity.error };
    const retrain = retrainView(activity);
    return {
      state: "done",
      summary: retrain
        ? `${retrain.headline}${retrain.lines.length ? `: ${retrain.lines.join(" ")}` : ""}`
        : trans.__("Retrain of %1 ended.", args.model_id ?? ""),
    };
  }

  private setActivity(id: string, activity: StepActivity): void {
    this.activities.set(id, activity);
    const card = this.cards.get(id);
    if (card) this.showActivity(card);
  }

  /** Records how a step's action ended, on its card and in the panel's outcome line (the card may go once the state moves on). */
  private end(step: NextStepView, activity: Exclude<StepActivity, { state: "running" }>): void {
    this.setActivity(step.id, activity);
    const { trans } = this.ctx;
    this.outcome.hidden = false;
    this.outcome.className = `dw-NextSteps-outcome dw-mod-${activity.state}`;
    this.outcome.dataset.outcome = activity.state;
    this.outcome.replaceChildren(
      h("div", {
        className: "dw-NextSteps-outcomeTitle",
        text: activity.state === "done" ? (activity.headline ?? trans.__("Done: %1", step.title)) : trans.__("Failed: %1", step.title),
      }),
      ...(activity.state === "done" ? [activity.summary] : errorLines(activity.error)).map((line) =>
        h("div", { className: "dw-NextSteps-outcomeLine", text: line }),
      ),
    );
    // The state changes after a tool that writes: ask for it now rather than at the next poll.
    this.ctx.client.refresh();
  }

  private showActivity(card: StepCard): void {
    const activity = this.activities.get(card.view.id);
    const running = activity?.state === "running";
    card.button.disabled = running;
    card.node.dataset.activity = activity?.state ?? "idle";
    const lines = !activity
      ? []
      : activity.state === "running"
        ? [activity.progress]
        : activity.state === "done"
          ? [activity.summary]
          : errorLines(activity.error);
    const key = lines.join("\n");
    if (card.status.dataset.key === key) return;
    card.status.dataset.key = key;
    card.status.className = `dw-NextStep-status${activity ? ` dw-mod-${activity.state}` : ""}`;
    card.status.replaceChildren(...lines.map((line) => h("div", { text: line })));
  }
}

function setText(node: HTMLElement, text: string): void {
  if (node.textContent !== text) node.textContent = text;
}
