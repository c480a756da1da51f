import { html, type Html } from "../../render/html.js";
import { kv, note, title } from "../../render/blocks.js";
import type { OutputOf } from "../defineTool.js";
import type { undeployModel } from "../undeployModel.js";

/** The alias no longer served: which version it served, who and when, and what of the model is still served. */
export function renderUndeployModel(o: OutputOf<typeof undeployModel>): Html {
  const still = Object.entries(o.still_served).map(([a, v]) => `${a} → v${v}`);
  return html`${title(
    html`Undeployed <code>${o.model_name}@${o.alias}</code> (was version ${o.version})`,
    `by ${o.undeployed_by} at ${o.undeployed_at} · commit ${o.commit.slice(0, 12)} on ${o.ref}`,
  )}${kv([
    ["server", o.server_url === null ? "not running" : `${o.server_url} answers 404 for the alias`],
    ["still served", still.length ? still.join(", ") : "no other alias of this model"],
    ...(o.version_url !== undefined ? [["pinned", o.version_url] as const] : []),
  ])}${note(`git log ${o.ref}`)}`;
}
