import { checkFlags, coerceInput, coerceValue, type Scope } from "../../src/adapters/coerceInput.js";
import { findTool, nearestName } from "../../src/adapters/findTool.js";
import { toolHelp, toolListHelp } from "../../src/adapters/help.js";
import { MagicError } from "../../src/adapters/MagicError.js";
import { mergeInput } from "../../src/adapters/mergeInput.js";
import { toolFields, type ToolFields } from "../../src/adapters/toolFields.js";
import type { ToolDef } from "../../src/index.js";
import type { CallSite } from "../dwCallOf.js";
import { MAGIC_SYNTAX } from "./magicSyntax.js";
import { parseCellBody } from "./parseCellBody.js";
import { parseMagicLine, type ParsedMagic } from "./parseMagicLine.js";
import { checkSqlMagic, SQL_HELP, SQL_MAGIC, sqlCellInput } from "./sqlCell.js";

export interface MagicRouterDeps {
  tools: readonly ToolDef[];
  /** Kernel variables at the moment a magic runs. */
  scope(): Scope;
  /**
   * Runs a tool, shows its result, returns its output; throws a DwError when the tool fails.
   * `site` says where the call was written (a `%dw` line's number, its `--as`), for the history.
   */
  callTool(name: string, input: Record<string, unknown>, site: CallSite): Promise<Record<string, unknown>>;
  showHelp(text: string): void;
}

/** What the statements `preprocessCell` writes call into. */
export interface MagicRouter {
  /** Static checks before the cell runs: the tool and its flags exist. */
  validate(parsed: ParsedMagic): void;
  /** One `%dw` line. */
  magic(line: number, source: string): Promise<unknown>;
  /** A `%%dw` cell: the header's flags plus the body's fields. */
  cellMagic(header: string, body: string): Promise<unknown>;
}

export function createMagicRouter(deps: MagicRouterDeps): MagicRouter {
  const cache = new Map<string, ToolFields>();
  const find = (name: string): ToolFields => {
    const tool = findTool(deps.tools, name);
    if (!tool) {
      const near = nearestName(
        name,
        deps.tools.map((t) => t.name),
      );
      throw new MagicError(
        `unknown tool '${name}'.${near ? ` Did you mean '${near}'?` : ""} Tools: ${deps.tools.map((t) => t.name).join(", ")}. See %dw help.`,
      );
    }
    let t = cache.get(tool.name);
    if (!t) {
      t = toolFields(tool);
      cache.set(tool.name, t);
    }
    return t;
  };
  const wantsHelp = (p: ParsedMagic) => p.tool === "help" || p.flags.some((f) => f.name === "help");
  const help = (p: ParsedMagic) => {
    const topic = p.tool === "help" ? p.positionals[0]?.text : p.tool;
    if (topic === SQL_MAGIC) deps.showHelp(SQL_HELP);
    else deps.showHelp(topic ? toolHelp(find(topic).tool, MAGIC_SYNTAX) : toolListHelp(deps.tools, MAGIC_SYNTAX));
    return undefined;
  };

  return {
    validate(parsed) {
      if (parsed.tool === "help") {
        if (parsed.positionals.length > 1 || parsed.flags.length > 0) throw new MagicError("usage: %dw help [<tool>]");
        if (parsed.positionals[0] && parsed.positionals[0].text !== SQL_MAGIC) find(parsed.positionals[0].text);
        return;
      }
      if (parsed.tool === SQL_MAGIC) return checkSqlMagic(parsed);
      const t = find(parsed.tool);
      if (!wantsHelp(parsed)) checkFlags(t, parsed, MAGIC_SYNTAX);
    },
    async magic(line, source) {
      const parsed = parseMagicLine(source);
      if (wantsHelp(parsed)) return help(parsed);
      const t = find(parsed.tool);
      return deps.callTool(t.tool.name, coerceInput(t, parsed, { syntax: MAGIC_SYNTAX, scope: deps.scope() }), siteOf(parsed, line));
    },
    async cellMagic(header, body) {
      const parsed = parseMagicLine(header);
      if (wantsHelp(parsed)) return help(parsed);
      // `%%dw sql`: the body is a query, run through load_dataset so its result is a registered dataset.
      if (parsed.tool === SQL_MAGIC) return deps.callTool("load_dataset", sqlCellInput(parsed, body), siteOf(parsed));
      const t = find(parsed.tool);
      const scope = deps.scope();
      const input = coerceInput(t, parsed, { syntax: MAGIC_SYNTAX, scope });
      const parsedBody = parseCellBody(body);
      const fromBody: Record<string, unknown> = {};
      if (parsedBody.kind === "json") {
        Object.assign(fromBody, parsedBody.input);
      } else {
        for (const { key, value, line } of parsedBody.entries) {
          const field = t.fieldForFlag(key);
          if (!field) throw new MagicError(`line ${line}: ${t.tool.name} has no field '${key}'. Its fields: ${t.fields.map((f) => f.name).join(", ")}.`);
          fromBody[field.name] = coerceValue(field, value, key, scope);
        }
      }
      return deps.callTool(
        t.tool.name,
        mergeInput(input, fromBody, (key) => `${key} is given both on the %%dw line and in the body.`),
        siteOf(parsed),
      );
    },
  };
}

/** A cell magic has no line of its own: the contract gives a line only to `%dw` lines. */
function siteOf(parsed: ParsedMagic, line?: number): CallSite {
  return { ...(line !== undefined ? { line } : {}), ...(parsed.as !== undefined ? { as: parsed.as } : {}) };
}
