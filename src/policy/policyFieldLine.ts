import type { Node } from "yaml";
import { loadYaml } from "./loadYaml.js";

/**
 * The 1-based line of the deepest node on `path` (e.g. ["quality", "null_rate", "warn"]) that the
 * policy text has: the value's line, or with `atKey` the last key's own line (for an unknown key).
 * Every policy section's errors name the line through this one function.
 */
export function policyFieldLine(text: string, path: readonly string[], atKey = false): number | undefined {
  const { isMap, isScalar, isSeq, LineCounter, parseDocument } = loadYaml();
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc });
  let node: unknown = doc.contents;
  let offset: number | undefined = (node as Node | null)?.range?.[0];
  for (let i = 0; i < path.length; i++) {
    if (isSeq(node)) {
      const item = node.items[Number(path[i])] as Node | undefined;
      if (!item) break;
      offset = item.range?.[0] ?? offset;
      node = item;
      continue;
    }
    if (!isMap(node)) break;
    const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === path[i]);
    if (!pair) break;
    const last = i === path.length - 1;
    const keyOffset = isScalar(pair.key) ? pair.key.range?.[0] : undefined;
    const valueOffset = (pair.value as Node | null)?.range?.[0];
    offset = last && atKey ? keyOffset : (valueOffset ?? keyOffset);
    node = pair.value;
  }
  return offset === undefined ? undefined : lc.linePos(offset).line;
}
