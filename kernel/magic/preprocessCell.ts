import { CELL_MAGIC_LINE } from "../../src/execution/magicLine.js";
import { MagicError } from "../../src/adapters/MagicError.js";
import { MAGIC_PREFIX, parseMagicLine, type ParsedMagic } from "./parseMagicLine.js";
import { SQL_MAGIC } from "./sqlCell.js";

export interface PreprocessedCell {
  /** TypeScript with one line for each line of the cell, so diagnostics point at the right line. */
  code: string;
  /** 1-based numbers of the lines that were magics. */
  magicLines: number[];
}

export interface PreprocessOptions {
  /** Name of the kernel bridge variable the generated statements call: `<bridge>.magic(...)`. */
  bridge: string;
  /** Checks a parsed line against the tools (unknown tool, unknown flag); throws a MagicError. */
  validate?(parsed: ParsedMagic): void;
}

const CELL_MAGIC = CELL_MAGIC_LINE;

/**
 * Rewrites a cell that mixes `%dw` lines with TypeScript into TypeScript: each magic line becomes
 * a statement awaiting the kernel's magic router, in place, so the lines run in order with top-level
 * await. `--as NAME` declares NAME. A `%%dw` first line hands the whole cell to the router.
 * Syntax errors in magic lines are found here, before anything in the cell runs.
 */
export function preprocessCell(cell: string, options: PreprocessOptions): PreprocessedCell {
  const lines = cell.split(/\r?\n/);
  const first = lines.findIndex((l) => l.trim() !== "");
  if (first >= 0 && CELL_MAGIC.test(lines[first])) {
    const header = lines[first].replace(CELL_MAGIC, "");
    const parsed = check(header, first + 1, options, false);
    const body = lines.slice(first + 1).join("\n");
    const out = lines.map(() => "");
    out[first] = statement(parsed, `${options.bridge}.cellMagic(${JSON.stringify(header)}, ${JSON.stringify(body)})`);
    return { code: out.join("\n"), magicLines: [first + 1] };
  }
  const magicLines: number[] = [];
  const numbered = lines.filter((l) => l.trim() !== "").length > 1;
  const out = lines.map((line, i) => {
    if (CELL_MAGIC.test(line)) throw new MagicError(`line ${i + 1}: %%dw must be the first line of the cell; use %dw for one tool call among other lines`);
    if (!MAGIC_PREFIX.test(line)) return line;
    const parsed = check(line, i + 1, options, numbered);
    if (parsed.tool === SQL_MAGIC && !parsed.flags.some((f) => f.name === "help"))
      throw new MagicError(`line ${i + 1}: sql is a cell magic: put %%dw sql --as NAME on the first line of a cell and the query below it`);
    magicLines.push(i + 1);
    const indent = /^\s*/.exec(line)?.[0] ?? "";
    return indent + statement(parsed, `${options.bridge}.magic(${i + 1}, ${JSON.stringify(line.trim())})`);
  });
  return { code: out.join("\n"), magicLines };
}

function check(line: string, lineNo: number, options: PreprocessOptions, numbered: boolean): ParsedMagic {
  try {
    const parsed = parseMagicLine(line);
    options.validate?.(parsed);
    return parsed;
  } catch (e) {
    if (e instanceof MagicError && numbered) throw new MagicError(`line ${lineNo}: ${e.message}`);
    throw e;
  }
}

function statement(parsed: ParsedMagic, call: string): string {
  // `void` keeps a magic on the last line from also becoming the cell's execute_result.
  return parsed.as ? `const ${parsed.as}: any = await ${call};` : `void (await ${call});`;
}

/** The cell with magic lines blanked to spaces: same offsets, so completion and inspect work on the TypeScript around them. */
export function blankMagicLines(cell: string): string {
  const lines = cell.split("\n");
  const first = lines.findIndex((l) => l.trim() !== "");
  if (first >= 0 && CELL_MAGIC.test(lines[first])) return lines.map((l) => " ".repeat(l.length)).join("\n");
  return lines.map((l) => (MAGIC_PREFIX.test(l) ? " ".repeat(l.length) : l)).join("\n");
}
