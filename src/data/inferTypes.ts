import { NUMBER_TEXT } from "./numberText.js";

/** Text that counts as a missing value in a text file (CSV cells). */
export const NULL_TOKENS = new Set(["", "NA", "N/A", "NaN", "null", "NULL", "nan"]);
export const BOOLEAN = /^(true|false)$/i;
/** An ISO 8601 date or timestamp: 2024-01-31, 2024-01-31T10:00, 2024-01-31 10:00:00.123+02:00, …Z. */
export const DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * The number `t` (already trimmed) stands for, or NaN. The same numbers as NUMBER_TEXT accepts, but
 * mostly without running the regex: `+t` alone would also take "0x1f", "0b1", "Infinity".
 */
export function toNumber(t: string): number {
  const n = +t;
  if (n !== n || t === "") return NaN;
  const c = t.charCodeAt(1);
  // 0x.., 0b.., 0o.. and Infinity/1e999 are the cases `+t` accepts that NUMBER_TEXT does not.
  if (c === 120 || c === 88 || c === 98 || c === 66 || c === 111 || c === 79 || n === Infinity || n === -Infinity) return NUMBER_TEXT.test(t) ? n : NaN;
  return n;
}

/**
 * Makes equal strings one string instance, so a column of a few distinct values repeated a
 * million times holds a million pointers to a few strings. It gives up on a column where most
 * values are new (IDs, timestamps): there sharing saves nothing and the map only costs time and
 * memory. It also stops taking new strings after `limit` distinct ones, still sharing those it has.
 */
export class Interner {
  private map: Map<string, string> | null = new Map();
  private seen = 0;
  private nextCheck = 4096;
  constructor(private readonly limit = 200_000) {}

  intern(s: string): string {
    const map = this.map;
    if (map === null) return s;
    this.seen++;
    const known = map.get(s);
    if (known !== undefined) return known;
    if (map.size < this.limit) map.set(s, s);
    // Checked every 4096 values: more than half of them distinct means little repetition.
    if (this.seen >= this.nextCheck) {
      this.nextCheck += 4096;
      if (map.size * 2 > this.seen) this.map = null;
    }
    return s;
  }
}

/** Character codes of the text being built; String.fromCharCode over them gives one flat string (a template literal would leave a rope of pieces per value). */
const codes: number[] = new Array(24).fill(48);

function put2(at: number, v: number): void {
  codes[at] = 48 + Math.floor(v / 10);
  codes[at + 1] = 48 + (v % 10);
}

/** Writes YYYY-MM-DD for a day count into codes[0..9]; false when the year is outside 0–9999. */
function putDate(days: number): boolean {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  if (year < 0 || year > 9999) return false;
  put2(0, Math.floor(year / 100));
  put2(2, year % 100);
  codes[4] = 45;
  put2(5, month);
  codes[7] = 45;
  put2(8, d);
  return true;
}

/**
 * ISO text for an instant in milliseconds since 1970: `2001-01-01T00:01:00Z`, milliseconds only
 * when there are some, `Z` only for UTC instants. Computed with integer arithmetic (the civil
 * calendar from a day count), several times faster than a Date and toISOString per value.
 */
export function isoTimestamp(ms: number, utc: boolean): string {
  const days = Math.floor(ms / 86_400_000);
  if (!putDate(days)) return isoTimestampSlow(ms, utc);
  let rem = ms - days * 86_400_000;
  const h = Math.floor(rem / 3_600_000);
  rem -= h * 3_600_000;
  const m = Math.floor(rem / 60_000);
  rem -= m * 60_000;
  const sec = Math.floor(rem / 1000);
  const milli = Math.round(rem - sec * 1000);
  codes[10] = 84;
  put2(11, h);
  codes[13] = 58;
  put2(14, m);
  codes[16] = 58;
  put2(17, sec);
  let n = 19;
  if (milli) {
    codes[19] = 46;
    codes[20] = 48 + Math.floor(milli / 100);
    put2(21, milli % 100);
    n = 23;
  }
  if (utc) codes[n++] = 90;
  codes.length = n;
  const s = String.fromCharCode.apply(null, codes);
  codes.length = 24;
  return s;
}

function isoTimestampSlow(ms: number, utc: boolean): string {
  const s = new Date(ms).toISOString();
  const t = s.endsWith(".000Z") ? s.slice(0, -5) : s.slice(0, -1);
  return utc ? `${t}Z` : t;
}

/** ISO text for a calendar date given as days since 1970-01-01 (proleptic Gregorian). */
export function isoDate(days: number): string {
  if (!putDate(days)) return new Date(days * 86_400_000).toISOString().slice(0, -14);
  codes.length = 10;
  const s = String.fromCharCode.apply(null, codes);
  codes.length = 24;
  return s;
}

/** Caches the ISO text of timestamps, so repeated instants share one string; stops caching when most are distinct. */
export class TimestampFormatter {
  private cache: Map<number, string> | null = new Map();
  private seen = 0;
  constructor(
    private readonly utc: boolean,
    private readonly dateOnly = false,
  ) {}

  format(ms: number): string {
    const cache = this.cache;
    if (cache) {
      const known = cache.get(ms);
      // Checked every 4096 values: more than half of them distinct means little repetition.
      if (++this.seen % 4096 === 0 && cache.size * 2 > this.seen) this.cache = null;
      if (known !== undefined) return known;
    }
    const s = this.dateOnly ? isoDate(Math.floor(ms / 86_400_000)) : isoTimestamp(ms, this.utc);
    if (cache && cache.size < 500_000) cache.set(ms, s);
    return s;
  }
}
