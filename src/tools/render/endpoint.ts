import { html, type Html } from "../../render/html.js";
import { kv, title } from "../../render/blocks.js";

/** What deploy_model and productionize both show: the live endpoint, the pinned URL and a curl to paste. */
export function renderEndpoint(o: { model_name: string; alias: string; version: number; endpoint_url: string; version_url: string; curl: string }): Html {
  return html`${title(html`Deployed <code>${o.model_name}@${o.alias}</code> → version ${o.version}`, "MLflow scoring protocol · live")}${kv([
    ["endpoint", html`<a href="${o.endpoint_url}" target="_blank" rel="noopener">${o.endpoint_url}</a>`],
    ["pinned", o.version_url],
  ])}<pre style="white-space: pre-wrap; margin: 6px 0; padding: 6px; background: var(--jp-layout-color2, #f5f5f5)">${o.curl}</pre>`;
}
