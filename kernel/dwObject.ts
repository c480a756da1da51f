import { DwError, type ToolDef } from "../src/index.js";
import type { ToolCaller } from "./createToolCaller.js";
import { outputOrThrow } from "./outputOrThrow.js";
import { findTool } from "../src/adapters/findTool.js";
import { toolHelp, toolListHelp } from "../src/adapters/help.js";
import type { FieldSchema } from "../src/adapters/toolFields.js";
import { MAGIC_SYNTAX } from "./magic/magicSyntax.js";
import { z } from "zod";

export type DwObject = Record<string, (input?: unknown) => Promise<Record<string, unknown>>> & { help(tool?: string): string };

/**
 * The `dw` global: one async method per tool, named by its camelName, returning the plain output
 * and throwing a DwError (code, message, hint) when the tool fails.
 */
export function createDwObject(tools: readonly ToolDef[], caller: ToolCaller): DwObject {
  const dw: Record<string, unknown> = {};
  for (const tool of tools) {
    dw[tool.camelName] = async (input: unknown = {}) => outputOrThrow(await caller.call(tool.name, input));
  }
  dw.help = (name?: string) => {
    if (name === undefined) return toolListHelp(tools, MAGIC_SYNTAX);
    const tool = findTool(tools, name);
    if (!tool) throw new DwError("UNKNOWN_TOOL", `There is no tool '${name}'.`, { hint: `Tools: ${tools.map((t) => t.name).join(", ")}.` });
    return toolHelp(tool, MAGIC_SYNTAX);
  };
  return dw as DwObject;
}

/** Where the prelude finds the kernel's objects: a registered symbol, so no global name is taken. */
export const BRIDGE_SYMBOL = "dw.kernel";
/** The variable the statements written by preprocessCell call. */
export const BRIDGE_VARIABLE = "_dwKernel";

/**
 * The hidden first cell, as one script: the `DwTools` interface (dwGlobalDeclarations) and the
 * bindings (dwBindings). The kernel gives cells the interface as a global declaration file of
 * their own (serveKernelGlobals.ts) and runs the bindings as the first cell; this whole text is
 * what a cell sees, for tools that check code as the kernel does (history.ts).
 */
export function dwPrelude(tools: readonly ToolDef[]): string {
  return `${dwGlobalDeclarations(tools)}\n${dwBindings()}`;
}

/**
 * `interface DwTools`: a typed method per tool (inputs typed from the zod schemas, outputs `any`
 * so cells can read fields freely), so cells type-check and `dw.` completes.
 */
export function dwGlobalDeclarations(tools: readonly ToolDef[]): string {
  const methods = tools.map((t) => {
    const schema = z.toJSONSchema(t.input, { io: "input", unrepresentable: "any" }) as FieldSchema & { required?: string[] };
    const optional = (schema.required ?? []).length === 0 ? "?" : "";
    return `  /** ${doc(t.description)} (tool ${t.name}; %dw help ${t.name}) */\n  ${t.camelName}(input${optional}: ${tsType(schema)}): Promise<any>;`;
  });
  return ["interface DwTools {", ...methods, "  /** The tools, or one tool's fields. */", "  help(tool?: string): string;", "}"].join("\n");
}

/** The first cell the kernel runs: `dw`, typed by `DwTools`, and the bridge the magic statements call. */
export function dwBindings(): string {
  return [
    `const dw: DwTools = (globalThis as any)[Symbol.for(${JSON.stringify(BRIDGE_SYMBOL)})].dw;`,
    `const ${BRIDGE_VARIABLE}: { magic(line: number, source: string): Promise<any>; cellMagic(header: string, body: string): Promise<any> } = (globalThis as any)[Symbol.for(${JSON.stringify(BRIDGE_SYMBOL)})].router;`,
  ].join("\n");
}

function tsType(s: FieldSchema & { required?: string[]; additionalProperties?: unknown }): string {
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(" | ");
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) return alternatives.map((a) => tsType(a)).join(" | ");
  switch (s.type) {
    case "string":
      return "string";
    case "number":
    case "integer":
      return "number";
    case "boolean":
      return "boolean";
    case "null":
      return "null";
    case "array":
      return s.items ? `Array<${tsType(s.items)}>` : "unknown[]";
    case "object": {
      if (!s.properties) return "Record<string, unknown>";
      const required = new Set(s.required ?? []);
      const props = Object.entries(s.properties).map(([k, v]) => {
        const key = /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k) ? k : JSON.stringify(k);
        return `${v.description ? `/** ${doc(v.description)} */ ` : ""}${key}${required.has(k) ? "" : "?"}: ${tsType(v)}`;
      });
      return `{ ${props.join("; ")} }`;
    }
    default:
      return "unknown";
  }
}

function doc(text: string): string {
  return text.replace(/\*\//g, "*\\/").replace(/\s+/g, " ");
}
