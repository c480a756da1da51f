import { createRequire } from "node:module";
import type * as ts from "@tslab/typescript-for-tslab";
import { isCompleteCode } from "tslab/dist/converter.js";
import { createExecutor as createTslabExecutor } from "tslab/dist/executor.js";
import { printQuickInfo } from "tslab/dist/inspect.js";
import { startConverterThread, type ConverterThread } from "./converterThread.js";
import { compileError, toCellError, type CellError, type CompileDiagnostic } from "./cellError.js";

export type ExecuteOutcome = { ok: true; value?: { v: unknown } } | { ok: false; error: CellError };

export interface Completion {
  start: number;
  end: number;
  matches: string[];
}

export type CompleteStatus = { status: "complete" } | { status: "incomplete"; indent: string } | { status: "invalid" };

/**
 * The kernel's view of tslab: run a cell and get its value or its error as data, complete,
 * inspect, interrupt. Output the cell prints is not here; the kernel captures process streams.
 */
export interface Executor {
  execute(code: string): Promise<ExecuteOutcome>;
  complete(code: string, cursor: number): Completion;
  /** Quick info at the cursor as text, or undefined when there is nothing to show. */
  inspect(code: string, cursor: number): string | undefined;
  isComplete(code: string): CompleteStatus;
  interrupt(): void;
  /** Variables the cells have declared, by name. */
  readonly locals: Readonly<Record<string, unknown>>;
  close(): void;
}

/** tslab reports each diagnostic through console.error with this format string. */
const DIAGNOSTIC_FORMAT = "%s%d:%d - %s";

/**
 * `converters` is the thread holding tslab's TypeScript programs (`startConverterThread`): the
 * kernel starts it before loading anything else; without it, one is started here.
 */
export function createExecutor(options: { rootDir: string; converters?: ConverterThread }): Executor {
  // For is_complete; cells are parsed and checked on the converter thread.
  const ts = loadTypeScript();
  const converters = options.converters ?? startConverterThread();
  // tslab hands a cell's last value to console.log and its failures to console.error; these
  // collect them for the cell that is running instead of printing them.
  let value: { v: unknown } | undefined;
  let thrown: unknown[] = [];
  let diagnostics: CompileDiagnostic[] = [];
  const tslab = createTslabExecutor(
    options.rootDir,
    {
      node: converters.node,
      get browser() {
        return converters.browser;
      },
      close: () => converters.close(),
    },
    {
      log: (v?: unknown) => {
        value = { v };
      },
      error: (first?: unknown, ...rest: unknown[]) => {
        if (first === DIAGNOSTIC_FORMAT) {
          const [file, line, column, message] = rest as [string, number, number, string];
          diagnostics.push(explain({ file: file.trim() || undefined, line, column, message }));
        } else {
          thrown.push(first);
        }
      },
    },
  );

  return {
    async execute(code) {
      value = undefined;
      thrown = [];
      diagnostics = [];
      // Shorthand properties are written out in full on the converter thread (its parser is warm
      // there; here it parsed the dw prelude cold, ~0.1 s of a start), before tslab converts the cell.
      const ok = await tslab.execute(code);
      if (diagnostics.length > 0) return { ok: false, error: compileError(diagnostics) };
      if (thrown.length > 0) return { ok: false, error: toCellError(thrown[0]) };
      if (!ok) return { ok: false, error: { ename: "Error", evalue: "the cell failed", traceback: ["Error: the cell failed"] } };
      return { ok: true, value };
    },
    complete(code, cursor) {
      const info = tslab.complete(code, cursor);
      return { start: info.start, end: info.end, matches: info.candidates };
    },
    inspect(code, cursor) {
      const info = tslab.inspect(code, cursor);
      return info ? printQuickInfo(info) : undefined;
    },
    isComplete(code) {
      const r = isCompleteCode(code);
      if (!r.completed) return { status: "incomplete", indent: r.indent ?? "" };
      const sf = ts.createSourceFile("cell.ts", code, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
      const parseDiagnostics = (sf as unknown as { parseDiagnostics?: readonly unknown[] }).parseDiagnostics ?? [];
      return parseDiagnostics.length > 0 ? { status: "invalid" } : { status: "complete" };
    },
    interrupt: () => tslab.interrupt(),
    locals: tslab.locals,
    close: () => tslab.close(),
  };
}

/**
 * tslab exports a cell's top-level names through their escaped form, which for names starting
 * with "__" has a third underscore, so such a declaration fails on a line the user never wrote.
 */
function explain(d: CompileDiagnostic): CompileDiagnostic {
  const m = /^Cannot find name '___([A-Za-z0-9_$]*)'/.exec(d.message);
  if (!m) return d;
  return { ...d, message: `top-level names starting with '__' cannot be declared in a cell (tslab limitation): rename '__${m[1]}'.` };
}

/** The version of the TypeScript compiler cells are checked with. */
export function typescriptVersion(): string {
  return loadTypeScript().version;
}

/** The TypeScript that tslab itself compiles with, resolved from tslab so both agree. */
function loadTypeScript(): typeof ts {
  const fromHere = createRequire(import.meta.url);
  const fromTslab = createRequire(fromHere.resolve("tslab/package.json"));
  return fromTslab("@tslab/typescript-for-tslab") as typeof ts;
}
