import { toCamel, type ToolDef } from "./defineTool.js";
import { toolModules } from "./toolModules.js";

/**
 * The tool with this wire name (snake_case) or TypeScript name (camelCase), loading only that
 * tool's definition (its schemas; its implementation loads when it runs); undefined when there is
 * no such tool. A module already loaded (by `tools`, or an earlier call) is not loaded again.
 *
 * @example
 * const tool = await loadTool("train_model"); // zod and train_model's schemas, not the other tools
 */
export async function loadTool(name: string): Promise<ToolDef | undefined> {
  const found = toolModules.find((t) => t.name === name || toCamel(t.name) === name);
  return found?.definition();
}
