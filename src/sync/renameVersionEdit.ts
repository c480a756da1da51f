import { documentText } from "../workspace/documentText.js";
import type { FileEdit } from "./rewriteCommit.js";

/** A renumbering as the records' rewrite applies it: one model's version `from` is `to` now. */
export interface Renaming {
  model: string;
  from: number;
  to: number;
  /** The old registration commit, and the new one: a review names the very commit it reviewed. */
  oldCommit: string;
  newCommit: string;
  /** Commits already rewritten (old id → new id), for the records that name another record (an A/B test its deployment, a gate report its review, a monitoring record its check). */
  map: Map<string, string>;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * The file edit that renames version `from` to `to` in the records dw keeps of one model:
 * deployment.json (the version deployed or undeployed), gate reports under gates/ (their subject,
 * the review they cite; an A/B test's gates/v<from>/ folder becomes gates/v<to>/), abtest.json
 * (arms, base version, winner, the deployment commits it runs on), monitoring.json and check.json
 * (the version monitored, the check commit) and review.json (when it reviewed the old
 * registration commit). A file of another model, or one that does not parse, is left as it is.
 */
export function renameVersionEdit(r: Renaming): FileEdit {
  const v = (x: unknown) => (x === r.from ? r.to : x);
  const c = (x: unknown) => (typeof x === "string" ? (r.map.get(x) ?? x) : x);
  const edits: Record<string, (doc: Json) => void> = {
    "deployment.json": (d) => {
      if (d.model_name !== r.model) return;
      d.version = v(d.version);
      if ("undeployed_version" in d) d.undeployed_version = v(d.undeployed_version);
    },
    "abtest.json": (d) => {
      if (d.model_name !== r.model) return;
      if (Array.isArray(d.arms)) for (const arm of d.arms) if (isObject(arm)) arm.version = v(arm.version);
      d.base_version = v(d.base_version);
      d.deployment = c(d.deployment);
      if (isObject(d.ended)) {
        d.ended.winner = v(d.ended.winner);
        if ("deployment" in d.ended) d.ended.deployment = c(d.ended.deployment);
      }
    },
    "monitoring.json": (d) => {
      if (d.model !== r.model) return;
      d.version = v(d.version);
      if (isObject(d.last_check)) {
        d.last_check.version = v(d.last_check.version);
        d.last_check.commit = c(d.last_check.commit);
      }
    },
    "check.json": (d) => {
      if (d.model !== r.model) return;
      d.version = v(d.version);
      const current = isObject(d.report) && isObject(d.report.current) ? d.report.current : null;
      if (current && Array.isArray(current.versions)) current.versions = current.versions.map(v);
    },
    "review.json": (d) => {
      if (d.model_name !== r.model || d.version !== r.from || d.model_commit !== r.oldCommit) return;
      d.version = r.to;
      d.model_commit = r.newCommit;
    },
  };
  const gate = (d: Json) => {
    if (isObject(d.subject) && d.subject.model_name === r.model) d.subject.version = v(d.subject.version);
    if (isObject(d.review)) d.review.commit = c(d.review.commit);
  };
  const armFolder = `gates/v${r.from}/`;
  return async (path, read) => {
    const newPath = path.startsWith(armFolder) ? `gates/v${r.to}/${path.slice(armFolder.length)}` : path;
    const edit = path.startsWith("gates/") && path.endsWith(".json") ? gate : edits[path];
    if (!edit) return newPath === path ? null : { path: newPath };
    const text = await read();
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      return newPath === path ? null : { path: newPath };
    }
    if (!isObject(doc)) return newPath === path ? null : { path: newPath };
    const before = JSON.stringify(doc);
    edit(doc);
    return JSON.stringify(doc) === before ? (newPath === path ? null : { path: newPath }) : { path: newPath, text: documentText(doc) };
  };
}

/** The commit message with the version renamed: `v<from>` in its words and its Dw-Version trailer. */
export function renameVersionMessage(r: Pick<Renaming, "from" | "to">): (text: string) => string {
  const word = new RegExp(`\\bv${r.from}\\b`, "g");
  const trailer = new RegExp(`^Dw-Version: ${r.from}$`, "m");
  return (text) => text.replace(word, `v${r.to}`).replace(trailer, `Dw-Version: ${r.to}`);
}
