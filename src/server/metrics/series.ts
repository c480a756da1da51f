import type { SeriesSnapshot } from "./MetricsSnapshot.js";

/** Requests of a series answered with a status from `lo` to `hi`. */
export function sumCodes(s: SeriesSnapshot, lo: number, hi: number): number {
  let n = 0;
  for (const [code, count] of s.codes) if (code >= lo && code <= hi) n += count;
  return n;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The order the renderers list series in, whatever order the requests came in or the workers
 * answered: requests that reached no model first, then by model, alias (pinned versions last),
 * version and protocol.
 */
export function compareSeries(a: SeriesSnapshot, b: SeriesSnapshot): number {
  const x = a.endpoint;
  const y = b.endpoint;
  if (x === null || y === null) return x === y ? 0 : x === null ? -1 : 1;
  return compare(x.name, y.name) || compare(x.alias ?? "\uffff", y.alias ?? "\uffff") || x.version - y.version || compare(x.protocol, y.protocol);
}
