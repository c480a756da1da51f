import { inspect } from "node:util";
import { USER_FACING } from "../src/adapters/MagicError.js";
import { isDwError } from "../src/index.js";

/** What Jupyter shows for a failed cell: an `error` output and the error execute_reply. */
export interface CellError {
  ename: string;
  evalue: string;
  traceback: string[];
}

export interface CompileDiagnostic {
  line: number;
  column: number;
  message: string;
  file?: string;
}

/** TypeScript diagnostics for one cell, as one error output (jupyter_kernel_test wants exactly one). */
export function compileError(diagnostics: readonly CompileDiagnostic[]): CellError {
  const lines = diagnostics.map((d) => `${d.file ? `${d.file} ` : ""}${d.line}:${d.column} - ${d.message}`);
  return {
    ename: "TypeScriptError",
    evalue: lines.join("\n"),
    traceback: [
      `TypeScriptError: ${diagnostics.length === 1 ? "the cell does not compile" : `${diagnostics.length} errors; the cell does not compile`}`,
      ...lines,
    ],
  };
}

/** Turns whatever a cell threw into a CellError, dropping stack frames that belong to the kernel. */
export function toCellError(thrown: unknown): CellError {
  if (isDwError(thrown)) {
    const evalue = thrown.hint ? `${thrown.message}\n${thrown.hint}` : thrown.message;
    return { ename: `DwError: ${thrown.code}`, evalue, traceback: [`DwError: ${thrown.code}: ${evalue}`] };
  }
  if (thrown instanceof Error) {
    if (isInterrupt(thrown)) {
      return { ename: "KeyboardInterrupt", evalue: "execution interrupted", traceback: ["KeyboardInterrupt: execution interrupted"] };
    }
    const ename = thrown.name || thrown.constructor?.name || "Error";
    if (Reflect.get(thrown, USER_FACING)) {
      return { ename, evalue: thrown.message, traceback: [`${ename}: ${thrown.message}`] };
    }
    const frames = (thrown.stack ?? "")
      .split("\n")
      .slice(1)
      .filter((l) => /^\s+at /.test(l) && !/\(node:|node:internal|node_modules[\\/]tslab|[\\/]dist[\\/]kernel[\\/]/.test(l));
    return { ename, evalue: thrown.message, traceback: [`${ename}: ${thrown.message}`, ...frames] };
  }
  const evalue = inspect(thrown, { depth: 2 });
  return { ename: "Uncaught", evalue, traceback: [`Uncaught ${evalue}`] };
}

function isInterrupt(e: Error): boolean {
  // Node's SIGINT break of a running script, and tslab's interrupt of an awaiting cell.
  return (e as { code?: string }).code === "ERR_SCRIPT_EXECUTION_INTERRUPTED" || e.message === "Interrupted asynchronously";
}
