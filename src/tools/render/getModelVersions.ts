import { html, type Html } from "../../render/html.js";
import { fmt, table, title } from "../../render/blocks.js";
import type { OutputOf } from "../defineTool.js";
import type { getModelVersions } from "../getModelVersions.js";

/** A model's versions, newest first, with their aliases, runs and every metric any of them has. */
export function renderGetModelVersions(o: OutputOf<typeof getModelVersions>): Html {
  const metricNames = [...new Set(o.versions.flatMap((v) => Object.keys(v.metrics)))];
  return html`${title(html`Model <code>${o.model_name}</code>`, `${o.total_versions} version(s)`)}${table(
    ["version", "aliases", "run", "algorithm", ...metricNames, "registered"],
    o.versions.map((v) => [
      v.version,
      v.aliases.join(", "),
      html`<code>${v.run_id}</code>`,
      v.algorithm,
      ...metricNames.map((m) => fmt(v.metrics[m])),
      v.registered_at,
    ]),
  )}`;
}
