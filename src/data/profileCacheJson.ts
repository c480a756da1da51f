/**
 * JSON that gives back exactly the numbers it was given: JSON has no NaN, no infinities and no
 * negative zero (JSON.stringify writes null, null and 0), yet a profile of real data holds all
 * three (the mean of an empty column, a column of -0). They are written as `{"$number": "NaN"}`,
 * and every finite number is written in its shortest round-tripping form, so a profile read back
 * from disk is the one that was computed, bit for bit.
 */
export function stringifyLossless(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v !== "number") return v;
    if (Number.isNaN(v)) return { $number: "NaN" };
    if (v === Infinity) return { $number: "Infinity" };
    if (v === -Infinity) return { $number: "-Infinity" };
    if (Object.is(v, -0)) return { $number: "-0" };
    return v;
  });
}

const SPECIAL: Record<string, number> = { NaN: NaN, Infinity: Infinity, "-Infinity": -Infinity, "-0": -0 };

/** Reads what stringifyLossless wrote (throws a SyntaxError on text that is not JSON). */
export function parseLossless(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
    const keys = Object.keys(v);
    if (keys.length !== 1 || keys[0] !== "$number") return v;
    const tag = (v as { $number: unknown }).$number;
    return typeof tag === "string" && Object.hasOwn(SPECIAL, tag) ? SPECIAL[tag] : v;
  });
}
