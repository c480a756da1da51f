import type { ToolDef } from "../defineTool.js";

/** The pii tools (filled in as they are written). */
export const piiTools = [] as unknown as readonly ToolDef[];
