import { z } from "zod";
import { loadTool } from "./loadTool.js";
import { toolModules } from "./toolModules.js";
import type { ToolContext } from "./ToolContext.js";
import { DwError, isDwError, type DwErrorJSON } from "../errors/DwError.js";
import { fileSystemError } from "../errors/fileSystemError.js";

export type ToolResult = { ok: true; tool: string; output: Record<string, unknown> } | { ok: false; tool: string; error: DwErrorJSON };

/**
 * The one entry point every adapter (magic, `dw` object, CLI, HTTP, MCP) calls. It validates the
 * input against the tool's schema, runs it, validates the output, and turns a DwError into a
 * result `{ ok: false, error }`. A file-system error that is the machine's condition (permission
 * denied, a read-only or full disk) is a WORKSPACE_ERROR naming the path. Anything else thrown is
 * a fault in dw: it is reported as INTERNAL with its message, never as a stack trace to the user.
 *
 * `ctx` may be a function that makes the context (opens the workspace): it is called after the
 * input is validated, and a workspace that cannot be opened becomes an error result like any other.
 *
 * @example
 * const result = await runTool("get_model_versions", { model_name: "temp" }, () => createToolContext({ cwd: process.cwd() }));
 */
export async function runTool(name: string, rawInput: unknown, ctx: ToolContext | (() => Promise<ToolContext>)): Promise<ToolResult> {
  // Only this tool's definition is loaded (a host that listed every tool has them loaded already).
  const tool = await loadTool(name);
  if (!tool) {
    return {
      ok: false,
      tool: name,
      error: new DwError("UNKNOWN_TOOL", `There is no tool '${name}'.`, { hint: `Tools: ${toolModules.map((t) => t.name).join(", ")}.` }).toJSON(),
    };
  }
  const parsed = tool.input.safeParse(rawInput ?? {});
  if (!parsed.success) {
    return { ok: false, tool: tool.name, error: inputError(tool.name, parsed.error, tool.input) };
  }
  let context: ToolContext | undefined;
  try {
    context = typeof ctx === "function" ? await ctx() : ctx;
    const output = await tool.run(parsed.data, context);
    const checked = tool.output.safeParse(output);
    if (!checked.success) {
      throw new Error(
        `${tool.name} produced output that does not match its schema: ${checked.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
      );
    }
    return { ok: true, tool: tool.name, output: checked.data as Record<string, unknown> };
  } catch (e) {
    if (isDwError(e)) return { ok: false, tool: tool.name, error: e.toJSON() };
    const machine = fileSystemError(e, context?.workspace.root);
    if (machine) return { ok: false, tool: tool.name, error: machine.toJSON() };
    const message = e instanceof Error ? e.message : String(e);
    return {
      ok: false,
      tool: tool.name,
      error: { code: "INTERNAL", message: `${tool.name} failed: ${message}`, hint: "This is a bug in dw; please report it with the input you used." },
    };
  }
}

function inputError(tool: string, error: z.ZodError, schema: z.ZodType): DwErrorJSON {
  const known = schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
  const issues = error.issues.map((i) => {
    const field = i.path.join(".") || "(input)";
    if (i.code === "unrecognized_keys") {
      const where = i.path.length ? ` in ${field}` : "";
      const allowed = i.path.length === 0 && known.length ? ` (the fields are ${known.join(", ")})` : "";
      return `unknown field(s) ${i.keys.map((k) => `'${k}'`).join(", ")}${where}${allowed}`;
    }
    return `${field}: ${i.message}`;
  });
  // The fields at fault: each issue's path, or for unknown fields the unknown names themselves.
  const fields = error.issues
    .flatMap((i) => (i.code === "unrecognized_keys" ? i.keys.map((k) => [...i.path, k].join(".")) : [i.path.join(".")]))
    .filter(Boolean);
  return {
    code: "INVALID_INPUT",
    message: `Invalid input for ${tool}: ${issues.join("; ")}.`,
    hint: `See the tool's fields: %dw help ${tool} in a notebook, dw help ${tool} on the command line.`,
    details: { fields },
  };
}
