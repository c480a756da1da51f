import { z } from "zod";
import { tools } from "../tools/allTools.js";
import { documentText } from "../workspace/documentText.js";

/** The JSON Schema document of one tool, as written to schema/tools/<name>.json and served to MCP clients. */
export function toolSchemaDocument(name: string): Record<string, unknown> {
  const tool = tools.find((t) => t.name === name);
  if (!tool) throw new Error(`no tool ${name}`);
  return {
    $comment: "Generated from the tool's zod schemas by `npm run schema`; do not edit.",
    name: tool.name,
    description: tool.description,
    input_schema: z.toJSONSchema(tool.input, { io: "input" }),
    output_schema: z.toJSONSchema(tool.output, { io: "output" }),
  };
}

/** Every generated file: relative path under schema/ → its exact text. */
export function generatedSchemaFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const t of tools) files.set(`tools/${t.name}.json`, documentText(toolSchemaDocument(t.name)));
  return files;
}
