import type { Tool, ToolAnnotations } from "@modelcontextprotocol/sdk/types.js";
import type { ToolDef } from "../tools/defineTool.js";
import { tools } from "../tools/allTools.js";
import { toolSchemaDocument } from "../schema/toolSchemas.js";

/** Words a tool name spells in lower case that a title writes otherwise. */
const TITLE_WORDS: Readonly<Record<string, string>> = { ml: "ML", pii: "PII", ab: "A/B", mlflow: "MLflow", onnx: "ONNX", kserve: "KServe" };

/** A tool's title for people, from its wire name: `get_ml_status` → "Get ML status". */
export function toolTitle(name: string): string {
  const words = name.split("_").map((w) => TITLE_WORDS[w] ?? w);
  return words.map((w, i) => (i === 0 ? w.charAt(0).toUpperCase() + w.slice(1) : w)).join(" ");
}

/**
 * MCP's hints, read from what the tool says a call may change (`annotations.effect`, and the
 * finer fields beside it: `writesOutside`, `openWorld`, `idempotent`, `replaces`):
 * - "reads": read-only, so idempotent and not destructive;
 * - "writes": adds commits and records to the workspace; its history is kept (a run, a review, a
 *   new pipeline version), so not destructive, and not idempotent (a second call adds another);
 * - "serves": changes what a running `dw serve` answers (an alias now serves another version, or
 *   nothing), starting the server if needed: destructive for the callers of that endpoint, and
 *   open-world, as the endpoint is reached by clients outside the workspace.
 * A tool that writes files outside the workspace is not read-only; one that may replace what was
 * there is destructive; one that talks to a git remote, an MLflow server or a database is
 * open-world; one whose repeated call changes nothing more is idempotent.
 * The hints are advice for a client deciding whether to ask its user first, never a guarantee.
 */
export function toolAnnotations(tool: ToolDef): ToolAnnotations {
  const { effect, writesOutside, openWorld, idempotent, replaces } = tool.annotations;
  return {
    title: toolTitle(tool.name),
    readOnlyHint: effect === "reads" && writesOutside !== true,
    destructiveHint: effect === "serves" || replaces === true,
    idempotentHint: idempotent ?? (effect === "reads" && writesOutside !== true),
    openWorldHint: effect === "serves" || openWorld === true,
  };
}

/**
 * A tool as MCP lists it: its wire name, title, description, the JSON Schemas of its input and
 * output exactly as `schema/tools/<name>.json` holds them (one generator, src/schema/toolSchemas.ts),
 * and its hints. MCP takes only object schemas (`type: "object"` at the top), and a client refuses
 * the whole listing over one that is not: a union of objects (z.discriminatedUnion) is served with
 * `type: "object"` added, which it already means, and an output schema that is not an object at
 * all is left out (the call's result is then not checked by the client), so one tool's schema
 * never hides the others. test/src/mcp holds every tool to plain object schemas.
 */
export function mcpTool(tool: ToolDef): Tool {
  const doc = toolSchemaDocument(tool.name);
  const input = objectSchema(doc.input_schema);
  const output = objectSchema(doc.output_schema);
  return {
    name: tool.name,
    title: toolTitle(tool.name),
    description: tool.description,
    inputSchema: (input ?? doc.input_schema) as Tool["inputSchema"],
    ...(output ? { outputSchema: output as Tool["outputSchema"] } : {}),
    annotations: toolAnnotations(tool),
  };
}

/** The schema when it describes objects only, with `type: "object"` at its top; undefined when it allows anything else. */
function objectSchema(schema: unknown): Record<string, unknown> | undefined {
  if (typeof schema !== "object" || schema === null) return undefined;
  const s = schema as Record<string, unknown>;
  if (s.type === "object") return s;
  const branches = s.oneOf ?? s.anyOf;
  const objects =
    Array.isArray(branches) && branches.length > 0 && branches.every((b) => typeof b === "object" && b !== null && (b as { type?: unknown }).type === "object");
  return s.type === undefined && objects ? { ...s, type: "object" } : undefined;
}

/** Every tool of allTools.ts as MCP lists it, in the order `help` lists them. */
export function mcpToolList(): Tool[] {
  return tools.map(mcpTool);
}
