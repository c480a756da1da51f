import { html, joinHtml, type Html } from "../../render/html.js";

/** Where a dataset came from: format and source, the database for a query, and its tags. */
export function provenance(o: { format: string; source: string; engine?: string; connection?: string; tags?: string[] }): Html {
  const parts = [html`${o.format} · ${o.source}`];
  if (o.engine) parts.push(html`${o.engine}${o.connection ? html` (${o.connection})` : ""}`);
  const tags = o.tags ?? [];
  if (tags.length) parts.push(html`tags: ${joinHtml(tags, ", ")}`);
  return joinHtml(parts, " · ");
}
