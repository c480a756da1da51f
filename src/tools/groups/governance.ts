import type { ToolDef } from "../defineTool.js";

/** The governance tools (filled in as they are written). */
export const governanceTools = [] as unknown as readonly ToolDef[];
