/** What lineDiff compares at most: beyond these it says so instead of diffing. */
export const LINE_DIFF_LIMITS = {
  /** Lines of each side (after the lines both sides begin and end with are set aside). */
  maxLines: 5000,
  /** Lines added plus lines removed: the Myers search stops past this many edits. */
  maxEdits: 1000,
  /** Lines of unchanged context around each change. */
  context: 3,
} as const;

/** A unified diff of two texts, or why there is none. */
export type LineDiff =
  | { status: "same"; added: 0; removed: 0; diff: "" }
  | { status: "different"; added: number; removed: number; diff: string }
  | { status: "too_large"; reason: string };

type Op = { kind: " " | "-" | "+"; line: string };

/**
 * A unified line diff (`@@ -l,n +l,n @@` hunks with three lines of context) from `from` to `to`,
 * computed with Myers' O((N+M)·D) shortest-edit search. Bounded: the lines both texts begin and end
 * with are set aside first, and when the rest has more than LINE_DIFF_LIMITS.maxLines lines on a
 * side, or needs more than maxEdits edits, the answer is `too_large` with the reason, never an
 * unbounded search. Memory is O(D²) for D ≤ maxEdits (the search's trace), time O((N+M)·D).
 *
 * @example
 * ```ts
 * lineDiff("a\nb\n", "a\nc\n", { from: "run1/cell.ts", to: "run2/cell.ts" }).diff;
 * // "--- run1/cell.ts\n+++ run2/cell.ts\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n"
 * ```
 */
export function lineDiff(from: string, to: string, names: { from: string; to: string }): LineDiff {
  const a = lines(from);
  const b = lines(to);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  if (start === endA && start === endB) return { status: "same", added: 0, removed: 0, diff: "" };
  const { maxLines, maxEdits } = LINE_DIFF_LIMITS;
  if (endA - start > maxLines || endB - start > maxLines) {
    return { status: "too_large", reason: `the changed part has ${endA - start} and ${endB - start} lines; the diff is shown up to ${maxLines} lines a side.` };
  }
  const middle = shortestEdit(a.slice(start, endA), b.slice(start, endB), maxEdits);
  if (!middle) return { status: "too_large", reason: `the texts differ in more than ${maxEdits} lines; the diff is shown up to ${maxEdits} changed lines.` };
  const ops: Op[] = [
    ...a.slice(0, start).map((line) => ({ kind: " " as const, line })),
    ...middle,
    ...a.slice(endA).map((line) => ({ kind: " " as const, line })),
  ];
  const added = middle.filter((o) => o.kind === "+").length;
  const removed = middle.filter((o) => o.kind === "-").length;
  return { status: "different", added, removed, diff: `--- ${names.from}\n+++ ${names.to}\n${hunks(ops).join("")}` };
}

/** A text's lines, without the empty one after a final newline. */
function lines(text: string): string[] {
  const out = text.split(/\r?\n/);
  if (out.length > 0 && out[out.length - 1] === "") out.pop();
  return out;
}

/**
 * Myers' greedy search for a shortest edit script from `a` to `b`, keeping each round's furthest
 * reaching paths (the trace) to walk the script back. Null past `maxEdits` edits.
 */
function shortestEdit(a: string[], b: string[], maxEdits: number): Op[] | null {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, maxEdits);
  const v = new Int32Array(2 * max + 3);
  const at = (k: number) => k + max + 1;
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[at(k - 1)] < v[at(k + 1)]) ? v[at(k + 1)] : v[at(k - 1)] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[at(k)] = x;
      if (x >= n && y >= m) {
        trace.push(v.slice(at(-d), at(d) + 1));
        return backtrack(a, b, trace);
      }
    }
    trace.push(v.slice(at(-d), at(d) + 1));
  }
  return null;
}

/** The edit script, first to last, from the trace of rounds 0..D (round d holds diagonals -d..d). */
function backtrack(a: string[], b: string[], trace: Int32Array[]): Op[] {
  const ops: Op[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = trace.length - 1; d >= 0; d--) {
    const k = x - y;
    let prevX = 0;
    let prevY = 0;
    if (d > 0) {
      const prev = trace[d - 1];
      const get = (kk: number) => prev[kk + d - 1];
      const prevK = k === -d || (k !== d && get(k - 1) < get(k + 1)) ? k + 1 : k - 1;
      prevX = get(prevK);
      prevY = prevX - prevK;
    }
    while (x > prevX && y > prevY) {
      ops.push({ kind: " ", line: a[x - 1] });
      x--;
      y--;
    }
    if (d > 0) {
      if (x === prevX) ops.push({ kind: "+", line: b[y - 1] });
      else ops.push({ kind: "-", line: a[x - 1] });
      x = prevX;
      y = prevY;
    }
  }
  return ops.reverse();
}

/** Unified-diff hunks: each change with LINE_DIFF_LIMITS.context unchanged lines around it, changes that close merged. */
function hunks(ops: Op[]): string[] {
  const { context } = LINE_DIFF_LIMITS;
  const out: string[] = [];
  let i = 0;
  // Line numbers (1-based) of ops[i] in the old and new text.
  const oldLine: number[] = [];
  const newLine: number[] = [];
  let o = 1;
  let p = 1;
  for (const op of ops) {
    oldLine.push(o);
    newLine.push(p);
    if (op.kind !== "+") o++;
    if (op.kind !== "-") p++;
  }
  while (i < ops.length) {
    while (i < ops.length && ops[i].kind === " ") i++;
    if (i === ops.length) break;
    const first = Math.max(0, i - context);
    let last = i;
    // Extend while the next change is within twice the context of the last one.
    for (let j = i; j < ops.length; j++) {
      if (ops[j].kind !== " ") last = j;
      else if (j - last > 2 * context) break;
    }
    const end = Math.min(ops.length, last + context + 1);
    const body = ops.slice(first, end);
    const oldCount = body.filter((op) => op.kind !== "+").length;
    const newCount = body.filter((op) => op.kind !== "-").length;
    // As diff -u numbers an empty side: the line before it.
    const oldStart = oldCount === 0 ? oldLine[first] - 1 : oldLine[first];
    const newStart = newCount === 0 ? newLine[first] - 1 : newLine[first];
    out.push(`@@ -${oldStart},${oldCount} +${newStart},${newCount} @@\n${body.map((op) => `${op.kind}${op.line}\n`).join("")}`);
    i = end;
  }
  return out;
}
