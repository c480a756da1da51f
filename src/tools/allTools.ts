import type { ToolDef } from "./defineTool.js";
import { toolModules } from "./toolModules.js";

/**
 * Every tool, loaded, in the order `help` lists them, each with its HTML summary for the notebook.
 * For hosts that list or call any tool (the kernel, MCP, the server, `dw help`); a command that
 * needs one tool loads only that one with loadTool. The list itself is toolModules.ts.
 */
export const tools: readonly ToolDef[] = await Promise.all(toolModules.map((m) => m.withRenderer()));

/** The tool with this wire name (snake_case) or TypeScript name (camelCase). */
export function getTool(name: string): ToolDef | undefined {
  return tools.find((t) => t.name === name || t.camelName === name);
}
