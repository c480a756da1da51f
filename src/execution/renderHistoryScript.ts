import type { DwCall, ExecutedCell, ExecutionRecord, NotebookSource } from "./ExecutionRecord.js";
import type { Finding } from "./Finding.js";
import { CELL_MAGIC_LINE, MAGIC_LINE, isCellMagic } from "./magicLine.js";

/** What execution/history.ts's header says besides the record. */
export interface HistoryMeta {
  run_id: string;
  notebook_path?: string;
  notebook_source?: NotebookSource | null;
}

/**
 * execution/history.ts: the code the kernel executed before a run, in execution order, as one
 * TypeScript file a dw kernel and tsc both accept (with the kernel's prelude declaring `dw`).
 * A header says the run, the kernel's start, the notebook and the findings; each cell gets a
 * `// ---- [n] cell <id> · <time> · <status> (<ms>)` line, then its code. `%dw` lines become the
 * `await dw.<tool>(<input as called>)` they ran (`const NAME = …` for `--as NAME`), the line kept as
 * a trailing comment; a `%dw` line with no recorded input, and a cell that failed or was aborted,
 * become comments (so the file compiles and replays what ran). The kernel lets a cell declare a name
 * again; a file does not, so a cell that does opens a block (`{`) that the end of the file closes,
 * which is the same shadowing. Deterministic (no clock) and linear in the record's size.
 *
 * @example
 * ```ts
 * const ts = renderHistoryScript(record, findings, { run_id: "20261204-160102-a1b2c3", notebook_path: "quickstart.ipynb" });
 * ```
 */
export function renderHistoryScript(record: ExecutionRecord, findings: readonly Finding[], meta: HistoryMeta): string {
  const out: string[] = header(record, findings, meta);
  const declared = new Set<string>();
  let blocks = 0;
  record.cells.forEach((cell, i) => {
    const isTraining = i === record.cells.length - 1;
    out.push("", cellHeader(cell, isTraining));
    const ran = cell.status === "ok" || cell.status === "running";
    if (!ran) {
      out.push(`// ${cell.status === "error" ? "failed" : "aborted"}: its code is kept as comments; statements before a failure may have run.`);
      out.push(...cell.code.split(/\r?\n/).map((l) => `// ${l}`.trimEnd()));
      return;
    }
    const body = cellBody(cell);
    const names = declaredNames(body);
    if (names.some((n) => declared.has(n))) {
      const again = names.filter((n) => declared.has(n));
      out.push(`{ // declares ${again.join(", ")} again, as the kernel allows: a new scope from here to the end of the file`);
      blocks++;
    }
    for (const n of names) declared.add(n);
    out.push(...body);
  });
  if (blocks > 0) out.push("", "}".repeat(blocks) + " // the scopes opened by cells that declared a name again");
  return `${out.join("\n")}\n`;
}

function header(record: ExecutionRecord, findings: readonly Finding[], meta: HistoryMeta): string[] {
  const nb = meta.notebook_path
    ? `${meta.notebook_path} (${meta.notebook_source === "browser" ? "as the browser held it, unsaved edits included" : "as saved on disk"})`
    : "none known";
  const lines = [
    `// dw run ${meta.run_id}: the code the kernel executed before this run, in execution order.`,
    `// Kernel started ${record.kernel_started_at}; notebook: ${nb}.`,
    `// ${record.cells.length} executions${record.dropped > 0 ? `, after ${record.dropped} earlier ones the kernel did not keep` : ""}; the last one made the run.`,
    "// Replay: run it top to bottom in a TypeScript (dw) kernel in the same workspace.",
  ];
  if (findings.length === 0) lines.push("// Findings: none (the cells ran once each, top to bottom, as the notebook shows them).");
  else {
    lines.push("// Findings:");
    for (const f of findings) lines.push(`//   - ${f.kind}: ${f.message.replace(/\r?\n/g, " ")}`);
  }
  return lines;
}

function cellHeader(cell: ExecutedCell, isTraining: boolean): string {
  const t = Number.isNaN(Date.parse(cell.started_at)) ? cell.started_at : new Date(cell.started_at).toISOString().replace(/\.\d{3}Z$/, "Z");
  const status = cell.duration_ms !== undefined ? `${cell.status} (${Math.round(cell.duration_ms)} ms)` : cell.status;
  // "this run", not its id: the id is in the first line, and a diff between two runs then shows it once.
  const mark = isTraining ? " · the cell that made this run" : "";
  return `// ---- [${cell.execution_count}] cell ${cell.cell_id ?? "(no id)"} · ${t} · ${status}${mark}`;
}

/** The cell's lines with magics rendered as the calls they made. */
function cellBody(cell: ExecutedCell): string[] {
  const lines = cell.code.split(/\r?\n/);
  if (isCellMagic(lines)) {
    const call = cell.dw_calls.find((c) => c.line === undefined) ?? cell.dw_calls[0];
    const comment = lines.map((l) => `// ${l}`.trimEnd());
    return call?.input !== undefined ? [...comment, callStatement(call, "", "the %%dw cell above")] : [...comment, `// (${notRendered(call, cell)})`];
  }
  const byLine = new Map<number, DwCall>();
  for (const c of cell.dw_calls) if (c.line !== undefined && !byLine.has(c.line)) byLine.set(c.line, c);
  return lines.map((line, i) => {
    if (!MAGIC_LINE.test(line) || CELL_MAGIC_LINE.test(line)) return line;
    const indent = /^\s*/.exec(line)?.[0] ?? "";
    const call = byLine.get(i + 1);
    if (!call && /^\s*%dw\s+help(?:\s|$)/.test(line)) return `${indent}// ${line.trim()} (help: calls no tool)`;
    if (call?.input === undefined) return `${indent}// ${line.trim()} (${notRendered(call, cell)})`;
    return callStatement(call, indent, line.trim());
  });
}

function callStatement(call: DwCall, indent: string, original: string): string {
  const expr = `await dw.${toCamel(call.tool)}(${JSON.stringify(call.input)});`;
  const comment = `// ${original}`;
  return `${indent}${call.as !== undefined ? `const ${call.as} = ${expr}` : expr} ${comment}${call.pending ? " (this call made the run)" : call.ok ? "" : ` (failed: ${call.error_code ?? "error"})`}`;
}

function notRendered(call: DwCall | undefined, cell: ExecutedCell): string {
  if (!call && cell.status === "running" && cell.dw_calls.every((c) => c.ok)) return "not run yet: the run was made before this line";
  if (!call) return "not run: no call recorded for this line; an earlier line of the cell failed";
  if (!call.ok && call.input === undefined) return `failed before it was called: ${call.error_code ?? "error"}`;
  return "input not recorded: over 16 KB as JSON";
}

const IDENT = /[A-Za-z_$][\w$]*/g;

/** A wire name as the `dw` object names it (defineTool's toCamel; the tools layer is above this one). */
const toCamel = (snake: string) => snake.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

/**
 * The names a cell declares at its top level (lines that start in column 0 with const, let, var,
 * function or class, simple destructuring included): what a later cell declaring them again would
 * collide with. A declaration spread over several names after a comma is not seen; tsc says so.
 */
function declaredNames(lines: readonly string[]): string[] {
  const names: string[] = [];
  for (const l of lines) {
    let m = /^(?:export\s+)?(?:const|let|var)\s+([A-Za-z_$][\w$]*)/.exec(l);
    if (m) {
      names.push(m[1]);
      continue;
    }
    m = /^(?:export\s+)?(?:async\s+)?(?:function\*?|class)\s+([A-Za-z_$][\w$]*)/.exec(l);
    if (m) {
      names.push(m[1]);
      continue;
    }
    m = /^(?:const|let|var)\s*[{[]([^=]*)[}\]]\s*(?::[^=]*)?=/.exec(l);
    if (m) {
      // `{ a, b: c, ...d }` declares a, c, d: the last identifier of each comma-separated part.
      for (const part of m[1].split(",")) {
        const ids = part.split("=")[0].match(IDENT);
        if (ids) names.push(ids[ids.length - 1]);
      }
    }
  }
  return names;
}
