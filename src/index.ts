/**
 * The agent core as the kernel, the CLI and the server see it. Everything a host needs is here;
 * hosts never reach into src/ deeper than this file.
 */
export { DwError, isDwError } from "./errors/DwError.js";
export type { DwErrorJSON, DwErrorCode } from "./errors/DwError.js";
export type { ToolDef, MagicSpec } from "./tools/defineTool.js";
export type { ToolContext, RunOrigin } from "./tools/ToolContext.js";
export type { DomainContext } from "./workspace/DomainContext.js";
export type { ServerInfo } from "./server/serverInfo.js";
export { tools, getTool } from "./tools/allTools.js";
export { toolModules } from "./tools/toolModules.js";
export type { ToolModule } from "./tools/toolModules.js";
export { loadTool } from "./tools/loadTool.js";
export { runTool } from "./tools/runTool.js";
export type { ToolResult } from "./tools/runTool.js";
export { createToolContext } from "./tools/createToolContext.js";
export { findWorkspaceRoot, openWorkspace } from "./workspace/Workspace.js";
export type { Workspace } from "./workspace/Workspace.js";
export { renderResultHtml, hasRenderer } from "./tools/renderResultHtml.js";
export { DW_VERSION } from "./version.js";
