import { getTool } from "./allTools.js";
import { html, type Html } from "../render/html.js";

/**
 * A readable HTML summary of a tool's output for the notebook. The JSON underneath stays the
 * result; this is only its face. The output is checked against the tool's schema first, so each
 * renderer gets the type it was written for. An output that does not match (a partial object, a
 * value changed since the call) throws, and the kernel shows it as JSON instead; a tool without a
 * renderer shows its JSON as text. Every value is escaped.
 */
export function renderResultHtml(tool: string, output: Record<string, unknown>): string {
  return html`<div class="dw-result" data-dw-tool="${tool}" style="font-family: var(--jp-ui-font-family, sans-serif); font-size: 13px; line-height: 1.45">${body(tool, output)}</div>`
    .text;
}

function body(tool: string, output: Record<string, unknown>): Html {
  const def = getTool(tool);
  if (!def?.render) return html`<pre>${JSON.stringify(output, null, 2)}</pre>`;
  const parsed = def.output.safeParse(output);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `${def.name}'s output does not match its schema, so it has no summary: ${issue ? `${issue.path.join(".")}: ${issue.message}` : parsed.error.message}`,
    );
  }
  return def.render(parsed.data);
}

/** Whether a tool has its own summary (the render test requires one for every tool). */
export function hasRenderer(tool: string): boolean {
  return getTool(tool)?.render !== undefined;
}
