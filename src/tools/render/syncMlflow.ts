import { html, type Html } from "../../render/html.js";
import { kv, section, table, title } from "../../render/blocks.js";
import type { OutputOf } from "../defineTool.js";
import type { syncMlflow } from "../syncMlflow.js";

/** Counts per kind, then what changed and every item not synced with why. */
export function renderSyncMlflow(o: OutputOf<typeof syncMlflow>): Html {
  const count = (k: { created: unknown[]; updated: unknown[]; unchanged: unknown[] }) =>
    `${k.created.length} created · ${k.updated.length} updated · ${k.unchanged.length} unchanged`;
  const changedVersions = [...o.versions.created, ...o.versions.updated];
  const changedAliases = [...o.aliases.created, ...o.aliases.updated];
  return html`${title(html`Synced to MLflow at <code>${o.url}</code>`, o.errors.length ? `${o.errors.length} item(s) not synced` : "everything synced")}${kv([
    ["runs", count(o.runs)],
    ["versions", count(o.versions)],
    ["aliases", count(o.aliases)],
  ])}${
    changedVersions.length || changedAliases.length
      ? html`${section("dw version → MLflow version")}${table(
          ["model", "dw", "MLflow"],
          [
            ...changedVersions.map((v) => [v.model_name, `v${v.version}`, `version ${v.mlflow_version}`]),
            ...changedAliases.map((a) => [a.model_name, `@${a.alias} (v${a.version})`, `version ${a.mlflow_version}`]),
          ],
        )}`
      : ""
  }${
    o.errors.length
      ? html`${section("Not synced")}${table(
          ["item", "code", "why"],
          o.errors.map((e) => [`${e.kind} ${e.item}`, e.code, e.hint ? `${e.message} ${e.hint}` : e.message]),
        )}`
      : ""
  }<div style="opacity: 0.6; margin-top: 4px">${o.note}</div>`;
}
