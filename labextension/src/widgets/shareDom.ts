import { h } from "./dom.js";
import type { ConflictView, ResolutionConfirm, ShareOutcomeView } from "./shareView.js";

/**
 * How a push or pull ended: its headline, a line per thing that moved (or did not), and each
 * conflict with its refs' three sides and the two ways to resolve it, which call `resolve` with
 * the conflict and the side to take (the plugin asks to confirm, then pulls or pushes).
 */
export function renderShareOutcome(
  o: ShareOutcomeView,
  remote: string,
  enabled: boolean,
  resolve: (conflict: ConflictView, take: "theirs" | "ours") => void,
): HTMLElement {
  return h(
    "div",
    { className: `dw-Share-outcome dw-mod-${o.state}`, attrs: { "data-state": o.state } },
    h("div", { className: "dw-Share-headline", text: o.headline }),
    ...o.lines.map((line) => h("div", { className: `dw-Share-line dw-mod-${line.kind}`, text: line.text, attrs: { "data-kind": line.kind } })),
    ...o.conflicts.map((c) => renderConflict(c, remote, enabled, resolve)),
  );
}

function renderConflict(c: ConflictView, remote: string, enabled: boolean, resolve: (conflict: ConflictView, take: "theirs" | "ours") => void): HTMLElement {
  // Keep ours is the warning: it replaces what the whole team pulls, Take theirs only this clone's.
  const button = (take: "theirs" | "ours", allowed: boolean) => {
    const b = h("button", {
      className: `jp-Button jp-mod-styled ${take === "theirs" ? "jp-mod-accept" : "jp-mod-warn"} dw-Conflict-${take === "theirs" ? "takeTheirs" : "keepOurs"}`,
      text: take === "theirs" ? "Take theirs" : "Keep ours",
      title:
        take === "theirs"
          ? `Pull ${c.target} from ${remote}, replacing this clone's (kept under refs/dw-backup/)`
          : `Push this clone's ${c.target} to ${remote}, replacing the remote's (kept here under refs/dw-backup/)`,
      attrs: {
        type: "button",
        "aria-label": take === "theirs" ? `Take ${remote}'s ${c.target}` : `Keep this clone's ${c.target} and push it to ${remote}`,
        ...(enabled && allowed ? {} : { disabled: "" }),
      },
    });
    b.addEventListener("click", () => resolve(c, take));
    return b;
  };
  return h(
    "div",
    { className: "dw-Conflict", attrs: { "data-target": c.target, role: "group", "aria-label": `Conflict on ${c.target}` } },
    h(
      "div",
      { className: "dw-Conflict-title" },
      h("span", { className: "dw-Badge dw-mod-drift", text: "conflict" }),
      h("span", { className: "dw-Conflict-target", text: c.target }),
    ),
    ...c.refs.map((r) =>
      h(
        "div",
        { className: "dw-Conflict-ref", attrs: { "data-ref": r.ref } },
        h("code", { className: "dw-Conflict-refName", text: r.ref, title: r.ref }),
        h("div", { className: "dw-Conflict-why", text: r.why }),
        h(
          "dl",
          { className: "dw-Conflict-sides" },
          ...r.sides.flatMap((s) => [
            h("dt", { className: `dw-Conflict-sideLabel dw-mod-${s.side}`, text: s.label }),
            h("dd", { className: `dw-Conflict-side dw-mod-${s.side}`, text: s.text, title: s.title, attrs: { "data-side": s.side } }),
          ]),
        ),
      ),
    ),
    c.note ? h("div", { className: "dw-Conflict-note", text: c.note }) : null,
    c.takeTheirs || c.keepOurs ? h("div", { className: "dw-Actions" }, button("theirs", c.takeTheirs), button("ours", c.keepOurs)) : null,
  );
}

/** The confirm dialog's body: what is replaced, one paragraph each, and where it is kept. */
export function confirmNode(c: ResolutionConfirm): HTMLElement {
  return h("div", { className: "dw-ResolveConfirm" }, ...c.body.map((text) => h("p", { text })));
}
