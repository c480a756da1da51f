/**
 * JSON with object keys sorted, so equal values compare equal whatever order their keys came in:
 * how an experiment's settings and a feature pipeline's definition are compared with what is stored.
 */
export function stableJson(v: unknown): string {
  return (
    JSON.stringify(v, (_k, x: unknown) =>
      x && typeof x === "object" && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : x,
    ) ?? "null"
  );
}
