import type { Renderer } from "../html.js";

/** HTML summaries for the quality tools; merged into renderResultHtml's table. */
export const qualityRenderers: Record<string, Renderer> = {};
