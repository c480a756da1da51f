import type { ToolDef } from "../defineTool.js";

/** The quality tools (filled in as they are written). */
export const qualityTools = [] as unknown as readonly ToolDef[];
