/**
 * Which lines of a cell are magics, written once: the kernel's parser (kernel/magic/parseMagicLine.ts,
 * preprocessCell.ts) and the run history's rendering both read these. A `%dw` line is one tool
 * call; a `%%dw` first line makes the whole cell one.
 */
export const MAGIC_LINE = /^\s*%dw(?=\s|$)/;
export const CELL_MAGIC_LINE = /^\s*%%dw(?=\s|$)/;

/** Whether the cell is a `%%dw` cell: its first non-blank line is `%%dw …`. */
export function isCellMagic(lines: readonly string[]): boolean {
  const first = lines.find((l) => l.trim() !== "");
  return first !== undefined && CELL_MAGIC_LINE.test(first);
}
