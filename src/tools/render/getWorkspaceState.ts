import { html, joinHtml, type Html } from "../../render/html.js";
import { fmt, note, section, table, title } from "../../render/blocks.js";
import type { OutputOf } from "../defineTool.js";
import type { getWorkspaceState } from "../getWorkspaceState.js";

/** What the sidebar shows, as a cell's output: the server, the endpoints with their curl, and the models with their versions. */
export function renderGetWorkspaceState(o: OutputOf<typeof getWorkspaceState>): Html {
  const versions = o.models.reduce((n, m) => n + m.versions.length, 0);
  const server = o.server ? html`dw serve <code>${o.server.url}</code> (${o.server.live ? "live" : "not answering"})` : "dw serve not started";
  const endpoints = o.endpoints.length
    ? table(
        ["endpoint", "version", "", "curl"],
        o.endpoints.map((e) => [
          html`<code>${e.model}@${e.alias}</code>`,
          `v${e.version}`,
          e.error ?? (e.live ? "live" : "down"),
          e.curl ? html`<code>${e.curl}</code>` : e.invocations_url,
        ]),
      )
    : note("no endpoint yet: deploy_model or productionize serves one");
  const models = o.models.length
    ? o.models.map(
        (m) =>
          html`<div style="margin-top: 4px"><code>${m.name}</code> ${joinHtml(
            Object.entries(m.aliases).map(([a, v]) => `@${a} → v${v}`),
            " · ",
          )}</div>${m.error ? html`<div style="opacity: 0.75">${m.error}</div>` : ""}${table(
            ["version", "aliases", "run", "algorithm", "metrics"],
            m.versions.map((v) => [
              `v${v.version}`,
              v.aliases.map((a) => `@${a}`).join(" "),
              html`<code>${v.run_id}</code>`,
              v.error ?? v.algorithm ?? "",
              joinHtml(
                Object.entries(v.metrics ?? {}).map(([k, x]) => html`${k} ${fmt(x)}`),
                " · ",
              ),
            ]),
          )}`,
      )
    : note("no registered model yet: register_model or productionize makes one");
  return html`${title(
    html`Workspace <code>${o.workspace}</code>`,
    html`${server} · ${o.models.length} model(s), ${versions} version(s) · ${o.endpoints.length} endpoint(s)`,
  )}${section("Endpoints")}${endpoints}${section("Models")}${models}`;
}
