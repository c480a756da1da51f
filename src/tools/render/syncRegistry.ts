import { html, type Html } from "../../render/html.js";
import { kv, note, section, table, title } from "../../render/blocks.js";
import type { SyncReport } from "../../sync/SyncReport.js";
import { resolveHint } from "../../sync/resolveHint.js";

const short = (oid: string | null) => (oid === null ? "—" : oid.slice(0, 10));

/** What a push or pull moved, renumbered, left in conflict (both sides) and the data, as push_registry and pull_registry show it. */
export function renderSyncReport(o: SyncReport, verb: "Pushed to" | "Pulled from"): Html {
  const aliases = Object.entries(o.aliases).map(([a, v]) => `${a} → ${v === null ? "removed" : `v${v}`}`);
  const side = (s: SyncReport["conflicts"][number]["ours"]) =>
    s.oid === null
      ? "—"
      : `${s.version !== undefined ? `v${s.version} ` : ""}${s.subject ?? short(s.oid)}${s.by ? ` · ${s.by}` : ""}${s.at ? ` · ${s.at}` : ""}`;
  return html`${title(html`${verb} <code>${o.remote}</code>`, `${o.url} · ${o.moved.length} ref(s) moved, ${o.up_to_date} up to date`)}${kv([
    ["versions", o.versions.length ? o.versions.join(", ") : "none moved"],
    ["aliases", aliases.length ? aliases.join(", ") : "none moved"],
    ["waiting", o.waiting.length ? `${o.waiting.length} ref(s) moved on the other side only` : "nothing"],
    ["shared cache", o.data.shared_cache ?? "none configured (git config dw.cache)"],
  ])}${
    o.renumbered.length
      ? html`${section("Renumbered")}${table(
          ["model", "was", "now", "aliases moved", "kept as"],
          o.renumbered.map((r) => [r.model_name, `v${r.from}`, `v${r.to}`, r.aliases.join(", ") || "—", r.backup]),
        )}`
      : ""
  }${
    o.conflicts.length
      ? html`${section("Conflicts: left as they are on both sides")}${table(
          ["ref", "base", "ours", "theirs", "why"],
          o.conflicts.map((c) => [c.ref, side(c.base), side(c.ours), side(c.theirs), c.why]),
        )}${note(resolveHint(o.remote, [...new Set(o.conflicts.map((c) => c.target))]))}`
      : ""
  }${
    o.resolved.length
      ? html`${section("Resolved")}${table(
          ["target", "took", "replaced, kept as"],
          o.resolved.map((r) => [r.target, r.took, r.backups.join(", ") || "—"]),
        )}`
      : ""
  }${o.data.uploaded.length ? note(`${o.data.uploaded.length} data file(s) copied to the shared cache.`) : ""}${
    o.data.staying_local.length
      ? note(`Data staying in this clone only: ${o.data.staying_local.map((d) => `${d.dataset_id} (${d.sha256.slice(0, 12)})`).join(", ")}.`)
      : ""
  }${
    o.data.missing.length
      ? html`${section("Data missing here and in the shared cache")}${table(
          ["dataset", "sha256", "run", "pushed by"],
          o.data.missing.map((d) => [d.dataset_id, d.sha256.slice(0, 16), d.run_id, d.pushed_by]),
        )}`
      : ""
  }${o.refused.length ? note(`Refused remote refs: ${o.refused.map((r) => `${r.ref} (${r.reason})`).join("; ")}.`) : ""}`;
}
