import type { ShareActivity, ShareRequest } from "../tokens.js";
import { h } from "./dom.js";
import { renderShareOutcome } from "./shareDom.js";
import { shareView, type ConflictView } from "./shareView.js";

let sections = 0;

/**
 * The sidebar's Team registry: a remote (a name from the clone's git config, or a URL or path;
 * `origin` when left empty), Push and Pull buttons, what the running push or pull does, and how
 * the last one ended with its conflicts. Unlike the rest of the sidebar it is built once and
 * updated in place, so the remote typed and the keyboard focus survive the sidebar's redraws; its
 * outcome is redrawn only when the activity or the connection changes. `share` asks the plugin to
 * push or pull (with `take` for a conflict's resolution, which the plugin confirms first).
 */
export class ShareSection {
  readonly node: HTMLElement;
  private readonly remote: HTMLInputElement;
  private readonly remotes: HTMLDataListElement;
  private readonly push: HTMLButtonElement;
  private readonly pull: HTMLButtonElement;
  private readonly status: HTMLElement;
  private readonly outcome: HTMLElement;
  private readonly used = new Set<string>(["origin"]);
  private shown: { activity: ShareActivity | null; enabled: boolean } | null = null;

  constructor(private readonly share: (request: ShareRequest) => void) {
    sections += 1;
    const id = `dw-share-remote-${sections}`;
    this.remotes = h("datalist", { attrs: { id: `${id}-list` } });
    this.remote = h("input", {
      className: "dw-Share-remote",
      title: "A remote's name from this clone's git config (origin), or a URL or path",
      attrs: { id, type: "text", value: "origin", placeholder: "origin", list: `${id}-list`, spellcheck: "false", autocomplete: "off" },
    });
    this.push = this.button("Push", "Send what only this clone moved under refs/dw/* to the remote, all or none");
    this.pull = this.button("Pull", "Take what only the remote moved under refs/dw/*, and see the conflicts");
    this.push.addEventListener("click", () => this.share({ action: "push", remote: this.remoteName() }));
    this.pull.addEventListener("click", () => this.share({ action: "pull", remote: this.remoteName() }));
    this.status = h("div", { className: "dw-Share-status", attrs: { role: "status", "aria-live": "polite" } });
    this.outcome = h("div", { className: "dw-Share-result" });
    this.node = h(
      "section",
      { className: "dw-Share", attrs: { "aria-label": "Team registry" } },
      h(
        "div",
        { className: "dw-Share-controls" },
        h("label", { className: "dw-Share-label", text: "Remote", attrs: { for: id } }),
        this.remote,
        this.remotes,
        this.push,
        this.pull,
      ),
      this.status,
      this.outcome,
    );
    this.remotes.append(h("option", { attrs: { value: "origin" } }));
  }

  /** Shows `activity`; the buttons work only when `enabled` (a connected dw kernel) and nothing runs. */
  update(enabled: boolean, activity: ShareActivity | null): void {
    const view = shareView(activity);
    for (const b of [this.push, this.pull]) b.disabled = !enabled || view.busy;
    this.node.dataset.share = activity?.state ?? "idle";
    if (this.shown && this.shown.activity === activity && this.shown.enabled === enabled) return;
    this.shown = { activity, enabled };
    if (activity?.state === "done" && !this.used.has(activity.request.remote)) {
      this.used.add(activity.request.remote);
      this.remotes.replaceChildren(...[...this.used].map((r) => h("option", { attrs: { value: r } })));
    }
    this.status.textContent = view.progress;
    const remote = activity?.state === "done" ? activity.result.remote : (activity?.request.remote ?? "");
    this.outcome.replaceChildren(
      ...(view.outcome && activity ? [renderShareOutcome(view.outcome, remote, enabled, (c, take) => this.resolve(c, take, activity.request.remote))] : []),
    );
  }

  private resolve(c: ConflictView, take: "theirs" | "ours", remote: string): void {
    this.share({ action: take === "theirs" ? "pull" : "push", remote, take: [c.target] });
  }

  private remoteName(): string {
    return this.remote.value.trim() || "origin";
  }

  private button(text: string, title: string): HTMLButtonElement {
    return h("button", {
      className: `jp-Button jp-mod-styled jp-mod-accept dw-Share-${text.toLowerCase()}`,
      text,
      title,
      attrs: { type: "button", "aria-label": `${text} the team registry (refs/dw/*)` },
    });
  }
}
