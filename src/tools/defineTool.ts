import type { z } from "zod";
import type { ToolContext } from "./ToolContext.js";
import type { Html } from "../render/html.js";

/** How `%dw <tool> …` maps words on the line to input fields. */
export interface MagicSpec {
  /** Input field that takes the first bare word, e.g. `path` for `%dw load_dataset data/x.csv`. */
  positional?: string;
  /** Short flag names, e.g. `{ data: "dataset_id" }` so `--data weather` fills `dataset_id`. */
  aliases?: Record<string, string>;
}

/**
 * What a call may change, for adapters that must say so before calling (MCP's read-only and
 * destructive hints, the kernel refreshing the sidebar after a call that changed state):
 * "reads" changes nothing; "writes" commits to the workspace (a run, a record, a review);
 * "serves" also changes what a running `dw serve` answers, starting one if needed.
 */
export interface ToolAnnotations {
  effect: "reads" | "writes" | "serves";
  /** The call may take long on big data, reports progress and stops on an interrupt. */
  long?: boolean;
  /** Writes outside the workspace even when `effect` is "reads": export_model writes the directory or file the user names. */
  writesOutside?: boolean;
  /** Talks to a system outside the workspace: a git remote, an MLflow server, a database named by `connection`. */
  openWorld?: boolean;
  /** A second identical call changes nothing more (create_experiment returns the experiment it made). */
  idempotent?: boolean;
  /** May replace what was there: load_dataset's record behind an existing dataset_id, an export over an existing file. */
  replaces?: boolean;
}

/**
 * A tool is data plus a handler: its wire name, a description for people and agents, zod input
 * and output schemas (the single source of truth: types, validation and JSON Schema), what a call
 * may change, how the magic line maps onto the input, and `run`, which does the work. The adapters
 * (the `%dw` magic and the `dw` object in the kernel, the CLI, the extension's comm) call `run`
 * through `runTool`, never directly.
 */
export interface ToolDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  name: string;
  camelName: string;
  description: string;
  input: I;
  output: O;
  annotations: ToolAnnotations;
  magic?: MagicSpec;
  run(input: z.output<I>, ctx: ToolContext): Promise<z.input<O>>;
  /** A readable HTML summary of an output, for the notebook; bound where the tools are listed (allTools.ts). */
  render?(output: z.output<O>): Html;
}

/** The output of a tool as its schema types it, e.g. `OutputOf<typeof trainModel>`. */
export type OutputOf<T> = T extends ToolDef<z.ZodType, infer O> ? z.output<O> : never;

/**
 * The tool with its HTML summary. The compiler checks `render` against the tool's output schema,
 * so a renderer cannot read a field the tool does not return.
 */
export function withRenderer<I extends z.ZodType, O extends z.ZodType>(tool: ToolDef<I, O>, render: (output: z.output<O>) => Html): ToolDef<I, O> {
  return { ...tool, render };
}

export function defineTool<I extends z.ZodType, O extends z.ZodType>(def: Omit<ToolDef<I, O>, "camelName">): ToolDef<I, O> {
  return { ...def, camelName: toCamel(def.name) };
}

export function toCamel(snake: string): string {
  return snake.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}
