import type { Renderer } from "../html.js";

/** HTML summaries for the pii tools; merged into renderResultHtml's table. */
export const piiRenderers: Record<string, Renderer> = {};
