import type { ToolDef } from "../tools/defineTool.js";

/** The tool a call names, by its wire name (`train_model`) or its camelName (`trainModel`). */
export function findTool(tools: readonly ToolDef[], name: string): ToolDef | undefined {
  return tools.find((t) => t.name === name || t.camelName === name);
}

/** The closest name by edit distance, if it is close enough to be a likely typo. */
export function nearestName(name: string, names: readonly string[]): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const n of names) {
    const d = distance(name, n);
    if (!best || d < best.d) best = { name: n, d };
  }
  return best && best.d <= Math.max(2, Math.floor(name.length / 3)) ? best.name : undefined;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}
