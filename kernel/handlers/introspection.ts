import type { ToolDef } from "../../src/index.js";
import type { Executor } from "../executor.js";
import { completeMagic } from "../magic/completeMagic.js";
import { readValueCatalog, type ValueCatalog } from "../../src/adapters/readValueCatalog.js";
import type { Workspace } from "../../src/workspace/Workspace.js";
import { blankMagicLines, preprocessCell } from "../magic/preprocessCell.js";
import { BRIDGE_VARIABLE } from "../dwObject.js";
import { MagicError } from "../../src/adapters/MagicError.js";
import { findTool } from "../../src/adapters/findTool.js";
import { toolHelp, toolListHelp } from "../../src/adapters/help.js";
import { MAGIC_SYNTAX } from "../magic/magicSyntax.js";

interface CodeRequest {
  code?: string;
  cursor_pos?: number;
}

/**
 * complete_request: tool names, flag names and flag values inside magic lines (the workspace is
 * read once per request, and only for a value), TypeScript everywhere else.
 */
export function createCompleteHandler(executor: Executor, tools: readonly ToolDef[], workspace: () => Promise<Workspace>) {
  return async (content: Record<string, unknown>) => {
    const { code = "", cursor_pos: cursor = code.length } = content as CodeRequest;
    let catalog: Promise<ValueCatalog> | undefined;
    const values = { scope: () => executor.locals, catalog: () => (catalog ??= workspace().then(readValueCatalog)) };
    const c = (await completeMagic(code, cursor, tools, values)) ?? executor.complete(blankMagicLines(code), cursor);
    return { status: "ok", matches: c.matches, cursor_start: c.start, cursor_end: c.end, metadata: {} };
  };
}

/** inspect_request: a tool's help on a magic line, TypeScript quick info (type and doc comment) elsewhere. */
export function createInspectHandler(executor: Executor, tools: readonly ToolDef[]) {
  return (content: Record<string, unknown>) => {
    const { code = "", cursor_pos: cursor = code.length } = content as CodeRequest;
    const text = magicHelpAt(code, cursor, tools) ?? executor.inspect(blankMagicLines(code), cursor);
    return text ? { status: "ok", found: true, data: { "text/plain": text }, metadata: {} } : { status: "ok", found: false, data: {}, metadata: {} };
  };
}

function magicHelpAt(code: string, cursor: number, tools: readonly ToolDef[]): string | undefined {
  const start = code.lastIndexOf("\n", cursor - 1) + 1;
  const end = code.indexOf("\n", cursor);
  const line = code.slice(start, end < 0 ? code.length : end);
  const m = /^\s*%%?dw\s+(?:help\s+)?([A-Za-z][A-Za-z0-9_]*)/.exec(line);
  if (!/^\s*%%?dw(\s|$)/.test(line)) return undefined;
  const tool = m ? findTool(tools, m[1]) : undefined;
  return tool ? toolHelp(tool, MAGIC_SYNTAX) : toolListHelp(tools, MAGIC_SYNTAX);
}

/** is_complete_request: unclosed brackets are incomplete, other syntax errors invalid. */
export function createIsCompleteHandler(executor: Executor) {
  return (content: Record<string, unknown>) => {
    const { code = "" } = content as CodeRequest;
    let ts: string;
    try {
      ts = preprocessCell(code, { bridge: BRIDGE_VARIABLE }).code;
    } catch (e) {
      if (e instanceof MagicError) return { status: "invalid" };
      throw e;
    }
    return executor.isComplete(ts);
  };
}
