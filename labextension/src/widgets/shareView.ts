import { RefConflict } from "../../../src/comm/protocol.js";
import type { ErrorPayload, ShareResult } from "../../../src/comm/protocol.js";
import type { ShareActivity, ShareRequest } from "../tokens.js";

/**
 * What the sidebar's Team registry section shows, as data: while a push or pull runs, what it
 * does; once it ended, what moved (versions, aliases, renumbered versions, resolved conflicts and
 * their backups, the data) or why it failed, and every conflict with both sides. ShareSection
 * turns it into DOM; keeping the decisions here lets them be tested without a browser.
 */
export interface ShareView {
  /** A push or pull runs: the buttons are disabled. */
  busy: boolean;
  /** What runs, in words (`Pushing to origin…`); empty when nothing runs. */
  progress: string;
  /** How the last push or pull ended; null before any, and while one runs. */
  outcome: ShareOutcomeView | null;
}

export interface ShareOutcomeView {
  state: "done" | "failed";
  /** `Pushed 4 refs to origin`, `Pull from origin: 1 conflict`, `Push to origin refused: CONFLICT`. */
  headline: string;
  /** One line per thing that moved or did not, each with its kind (the DOM marks it, tests find it). */
  lines: ShareLine[];
  conflicts: ConflictView[];
}

export interface ShareLine {
  kind: "message" | "versions" | "aliases" | "refs" | "renumbered" | "resolved" | "data" | "waiting" | "refused" | "up-to-date" | "hint";
  text: string;
}

/** The refs of one conflict target (an alias moves with its deployment history), each with its three sides. */
export interface ConflictView {
  /** What take_theirs / take_ours name: the ref, or model@alias. */
  target: string;
  refs: { ref: string; why: string; sides: SideView[] }[];
  /** Whether "Take theirs" (a pull with take_theirs) resolves it; not for a version this clone never shared, which a pull renumbers instead. */
  takeTheirs: boolean;
  /** Whether "Keep ours" (a push with take_ours) can: not while any version waits for a pull to renumber it, which refuses every push. */
  keepOurs: boolean;
  /** What to do when a choice cannot resolve it; empty otherwise. */
  note: string;
}

export interface SideView {
  side: "base" | "ours" | "theirs";
  /** `base (last sync)`, `ours (this clone)`, `theirs (origin)`. */
  label: string;
  /** `v3 · run 20261204-… · Ada <ada@x> · 2026-12-04 10:53`, or `none`. */
  text: string;
  /** The full commit id and subject. */
  title: string;
}

/** The confirm dialog of a resolution: what is replaced, by what, and where the replaced value is kept. */
export interface ResolutionConfirm {
  title: string;
  body: string[];
  accept: string;
}

/** The view of the last push or pull started from this session (null: none yet). */
export function shareView(activity: ShareActivity | null): ShareView {
  if (!activity) return { busy: false, progress: "", outcome: null };
  const { action, remote, take } = activity.request;
  if (activity.state === "running") {
    const resolving = take?.length ? `, ${action === "pull" ? "taking the remote's" : "keeping this clone's"} ${take.join(", ")}` : "";
    return { busy: true, progress: `${action === "push" ? `Pushing to ${remote}` : `Pulling from ${remote}`}${resolving}…`, outcome: null };
  }
  return {
    busy: false,
    progress: "",
    outcome: activity.state === "done" ? doneView(activity.request, activity.result) : failedView(activity.request, activity.error),
  };
}

function doneView(request: ShareRequest, r: ShareResult): ShareOutcomeView {
  const push = request.action === "push";
  const moved = r.moved.length;
  const conflicts = r.conflicts.length ? `; ${plural(new Set(r.conflicts.map((c) => c.target)).size, "conflict")}` : "";
  const headline = moved
    ? `${push ? "Pushed" : "Pulled"} ${plural(moved, "ref")} ${push ? "to" : "from"} ${r.remote}${conflicts}`
    : `${push ? `Nothing to push: ${r.remote} has it all` : `Nothing new from ${r.remote}`}${conflicts}`;
  const lines: ShareLine[] = [];
  if (r.versions.length) lines.push({ kind: "versions", text: `versions ${push ? "sent" : "taken"}: ${r.versions.join(", ")}` });
  const aliases = Object.entries(r.aliases);
  if (aliases.length) lines.push({ kind: "aliases", text: `aliases: ${aliases.map(([a, v]) => `${a} → ${v === null ? "removed" : `v${v}`}`).join(", ")}` });
  const others = countByKind(r.moved.filter((m) => m.kind === "chain").map((m) => m.ref));
  if (others) lines.push({ kind: "refs", text: `also: ${others}` });
  for (const n of r.renumbered) {
    const followed = [
      ...n.aliases.map((a) => `@${a}`),
      ...(n.deployments.length
        ? [`${n.deployments.length === 1 ? "1 deployment history" : `${n.deployments.length.toLocaleString("en-US")} deployment histories`} rewritten`]
        : []),
    ];
    lines.push({
      kind: "renumbered",
      text: `renumbered ${n.model_name} v${n.from} → v${n.to}: ${r.remote} holds another v${n.from}${followed.length ? ` (${followed.join(", ")} moved with it)` : ""}; the old registration is kept under ${n.backup}`,
    });
  }
  for (const x of r.resolved) {
    const kept = x.backups.length ? x.backups.join(", ") : "nothing to keep (it was not there)";
    lines.push({
      kind: "resolved",
      text:
        x.took === "theirs"
          ? `resolved ${x.target}: took ${r.remote}'s; this clone's is kept under ${kept}`
          : `resolved ${x.target}: kept this clone's; ${r.remote}'s is kept here under ${kept}`,
    });
  }
  lines.push(...dataLines(push, r));
  if (r.waiting.length)
    lines.push({
      kind: "waiting",
      text: push
        ? `${plural(r.waiting.length, "ref")} only ${r.remote} moved: pull to take them`
        : `${plural(r.waiting.length, "ref")} only this clone moved: push to share them`,
    });
  if (r.refused.length)
    lines.push({
      kind: "refused",
      text: `${plural(r.refused.length, "remote ref")} refused (not what dw writes): ${r.refused
        .slice(0, 3)
        .map((x) => `${x.ref}: ${x.reason}`)
        .join("; ")}${r.refused.length > 3 ? "; …" : ""}`,
    });
  if (r.up_to_date) lines.push({ kind: "up-to-date", text: `${plural(r.up_to_date, "ref")} already the same on both sides` });
  return { state: "done", headline, lines, conflicts: conflictViews(r.conflicts, r.remote) };
}

/** Where the runs' data went (push) or what of it is missing here (pull), with what to do about it. */
function dataLines(push: boolean, r: ShareResult): ShareLine[] {
  const d = r.data;
  const lines: ShareLine[] = [];
  if (push && d.uploaded.length)
    lines.push({ kind: "data", text: `data: ${plural(d.uploaded.length, "file")} copied to the shared cache ${d.shared_cache ?? ""}`.trim() });
  if (push && d.staying_local.length) {
    const files = d.staying_local.map((x) => `${x.dataset_id} (${x.sha256.slice(0, 12)})`).join(", ");
    lines.push({ kind: "data", text: `data staying in this clone only: ${files}` });
    lines.push({
      kind: "hint",
      text:
        d.shared_cache === null
          ? "No shared data cache is configured, so other clones will miss this data (a model scores without it; drift checks and retraining need it): git config dw.cache <folder or s3://bucket/prefix>, then push again."
          : `Not in this clone's cache, so it could not go to ${d.shared_cache}.`,
    });
  }
  if (!push && d.missing.length) {
    const files = d.missing.map((x) => `${x.dataset_id} (${x.sha256.slice(0, 12)}) of run ${x.run_id}, pushed by ${x.pushed_by}`).join("; ");
    lines.push({ kind: "data", text: `data missing here: ${files}` });
    lines.push({
      kind: "hint",
      text:
        d.shared_cache === null
          ? "No shared data cache is configured: set one on both clones (git config dw.cache <folder or s3://bucket/prefix>) and push again from the clone that has the data. Models score without it; drift checks and retraining need it."
          : `Not in the shared cache ${d.shared_cache} either: ask who pushed it to push again with the shared cache configured.`,
    });
  }
  return lines;
}

function failedView(request: ShareRequest, e: ErrorPayload): ShareOutcomeView {
  const what = request.action === "push" ? `Push to ${request.remote}` : `Pull from ${request.remote}`;
  const remote = typeof e.details?.remote === "string" ? e.details.remote : request.remote;
  const conflicts = conflictsOf(e);
  return {
    state: "failed",
    headline: `${what} ${e.code === "CONFLICT" ? "refused" : "failed"}: ${e.code}`,
    lines: [{ kind: "message", text: e.message }, ...(e.hint ? [{ kind: "hint" as const, text: e.hint }] : [])],
    conflicts: conflictViews(conflicts, remote),
  };
}

/** The conflicts a push's CONFLICT error lists in its details, checked as the tools write them (none when the details hold none). */
export function conflictsOf(e: ErrorPayload): RefConflict[] {
  const parsed = RefConflict.array().safeParse(e.details?.conflicts);
  return parsed.success ? parsed.data : [];
}

/** Conflicts grouped by what resolves them (an alias with its deployment history is one), in the order the tool gave them. */
function conflictViews(conflicts: readonly RefConflict[], remote: string): ConflictView[] {
  const byTarget = new Map<string, RefConflict[]>();
  for (const c of conflicts) byTarget.set(c.target, [...(byTarget.get(c.target) ?? []), c]);
  // A version this clone registered and never pushed (not what the base held): a pull renumbers it.
  const renumbers = (c: RefConflict) => c.kind === "version" && c.ours.oid !== c.base.oid;
  const pullFirst = conflicts.some(renumbers);
  return [...byTarget].map(([target, cs]) => {
    const renumber = cs.find(renumbers);
    // A version never changes: neither side is taken for one (the tool refuses it); its why says what to do.
    const version = cs.find((c) => c.kind === "version");
    return {
      target,
      refs: cs.map((c) => ({
        ref: c.ref,
        why: c.why,
        sides: [side("base", "base (last sync)", c.base), side("ours", "ours (this clone)", c.ours), side("theirs", `theirs (${remote})`, c.theirs)],
      })),
      takeTheirs: !version,
      keepOurs: !version && !pullFirst,
      note: renumber
        ? `Nothing to choose: Pull gives this clone's v${renumber.ours.version ?? "?"} the next number free on both sides, then Push shares it.`
        : version
          ? `A version never changes, so neither side is taken: ${version.why}`
          : pullFirst
            ? "Keep ours needs a Pull first, which renumbers this clone's unshared versions."
            : "",
    };
  });
}

function side(which: SideView["side"], label: string, s: RefConflict["ours"]): SideView {
  if (s.oid === null)
    return { side: which, label, text: "none", title: which === "base" ? "The remote did not have it at the last sync." : "No commit on this side." };
  const parts = [
    ...(s.version !== undefined ? [`v${s.version}`] : []),
    ...(s.run_id ? [`run ${s.run_id}`] : s.version === undefined && s.subject ? [s.subject] : []),
    ...(s.by ? [s.by] : []),
    ...(s.at ? [when(s.at)] : []),
  ];
  return { side: which, label, text: parts.length ? parts.join(" · ") : s.oid.slice(0, 10), title: `${s.oid}${s.subject ? `: ${s.subject}` : ""}` };
}

/**
 * The confirm dialog before "Take theirs" (a pull with take_theirs) or "Keep ours" (a push with
 * take_ours) on `target`: what is replaced, by what, and where the replaced value is kept. The
 * exact backup ref carries the resolution's time, so the dialog names its pattern and the result
 * names the ref.
 */
export function resolutionConfirm(conflict: ConflictView, take: "theirs" | "ours", remote: string): ResolutionConfirm {
  const refs = conflict.refs.map((r) => {
    const ours = r.sides.find((s) => s.side === "ours")?.text ?? "none";
    const theirs = r.sides.find((s) => s.side === "theirs")?.text ?? "none";
    return take === "theirs"
      ? `${r.ref}: this clone's ${ours} is replaced by ${remote}'s ${theirs}.`
      : `${r.ref} on ${remote}: ${theirs} is replaced by this clone's ${ours}.`;
  });
  const backups = conflict.refs.map((r) => `refs/dw-backup/<time>/${r.ref.replace(/^refs\/dw\//, "")}`).join(", ");
  return take === "theirs"
    ? {
        title: `Take ${remote}'s ${conflict.target}?`,
        body: [
          ...refs,
          `This clone's value is kept under ${backups} (the result names the ref; list them with git for-each-ref refs/dw-backup). Anything else ${remote} moved is pulled too.`,
        ],
        accept: "Take theirs",
      }
    : {
        title: `Replace ${conflict.target} on ${remote} with this clone's?`,
        body: [
          ...refs,
          `${remote}'s value is fetched and kept in this clone under ${backups} (the result names the ref); everyone who pulls gets this clone's. Anything else only this clone moved is pushed too.`,
        ],
        accept: "Keep ours",
      };
}

/** `runs 2 · deployments 1` for the refs/dw/<kind>/… refs given; empty for none. */
function countByKind(refs: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const ref of refs) {
    const kind = ref.split("/")[2] ?? ref;
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return [...counts].map(([k, n]) => `${k} ${n}`).join(" · ");
}

/** An ISO time as `2026-12-04 10:53` (UTC), or the text as given when it is not a time. */
function when(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

function plural(n: number, noun: string): string {
  return `${n.toLocaleString("en-US")} ${noun}${n === 1 ? "" : "s"}`;
}
