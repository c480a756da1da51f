import type { z } from "zod";
import type { ToolContext } from "./ToolContext.js";

/** How `%dw <tool> …` maps words on the line to input fields. */
export interface MagicSpec {
  /** Input field that takes the first bare word, e.g. `path` for `%dw load_dataset data/x.csv`. */
  positional?: string;
  /** Short flag names, e.g. `{ data: "dataset_id" }` so `--data weather` fills `dataset_id`. */
  aliases?: Record<string, string>;
}

/**
 * A tool is data plus a handler: its wire name, a description for people and agents, zod input
 * and output schemas (the single source of truth: types, validation and JSON Schema), how the
 * magic line maps onto the input, and `run`, which does the work. Five adapters (magic, `dw`
 * object, CLI, HTTP, MCP) call `run` through `runTool`, never directly.
 */
export interface ToolDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  name: string;
  camelName: string;
  description: string;
  input: I;
  output: O;
  magic?: MagicSpec;
  run(input: z.output<I>, ctx: ToolContext): Promise<z.input<O>>;
}

export function defineTool<I extends z.ZodType, O extends z.ZodType>(def: Omit<ToolDef<I, O>, "camelName">): ToolDef<I, O> {
  return { ...def, camelName: toCamel(def.name) };
}

export function toCamel(snake: string): string {
  return snake.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}
