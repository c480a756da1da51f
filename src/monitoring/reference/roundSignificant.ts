/** Decimal places tried for the exact shortcut: data written by people and instruments rarely has more. */
const MAX_PLACES = 4;

/**
 * `v` rounded to `digits` significant digits, exactly as `Number(v.toPrecision(digits))` gives it
 * (the drift sample stores its numbers so), without formatting and parsing a string for most values.
 * When `v` is the double nearest to m / 10^j for a whole m of at most `digits` digits (checked
 * exactly: m / 10^j is one correctly rounded division), v lies within half an ulp of that decimal,
 * far nearer than half a step of `digits` digits, so toPrecision writes that decimal and reading it
 * back gives `v` itself. Anything else (a full-precision prediction, ±Infinity) goes through
 * toPrecision. Zero is +0, as toPrecision's "0.00000" reads back. For digits up to 15.
 *
 * @example
 * roundSignificant(12.8, 6); // 12.8
 * roundSignificant(1 / 3, 6); // 0.333333
 */
export function roundSignificant(v: number, digits: number): number {
  if (v === 0) return 0;
  const limit = 10 ** digits;
  for (let j = 0, scale = 1; j <= MAX_PLACES; j++, scale *= 10) {
    const m = Math.round(v * scale);
    if (!(Math.abs(m) < limit)) break;
    if (m / scale === v) return v;
  }
  return Number(v.toPrecision(digits));
}
