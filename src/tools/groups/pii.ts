import type { ToolDef } from "../defineTool.js";
import { scanPii } from "../scanPii.js";

/** The pii tools. */
export const piiTools = [scanPii] as unknown as readonly ToolDef[];
