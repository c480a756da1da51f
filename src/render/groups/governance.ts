import type { Renderer } from "../html.js";

/** HTML summaries for the governance tools; merged into renderResultHtml's table. */
export const governanceRenderers: Record<string, Renderer> = {};
