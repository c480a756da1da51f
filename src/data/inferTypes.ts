/** Text that counts as a missing value in a text file (CSV cells). */
export const NULL_TOKENS = new Set(["", "NA", "N/A", "NaN", "null", "NULL", "nan"]);
/** A decimal number as written in a data file: no hex, no Infinity, no thousands separators. */
export const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
export const BOOLEAN = /^(true|false)$/i;
/** An ISO 8601 date or timestamp: 2024-01-31, 2024-01-31T10:00, 2024-01-31 10:00:00.123+02:00, …Z. */
export const DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * The number `t` (already trimmed) stands for, or NaN. The same numbers as NUMBER accepts, but
 * mostly without running the regex: `+t` alone would also take "0x1f", "0b1", "Infinity".
 */
export function toNumber(t: string): number {
  const n = +t;
  if (n !== n || t === "") return NaN;
  const c = t.charCodeAt(1);
  // 0x.., 0b.., 0o.. and Infinity/1e999 are the cases `+t` accepts that NUMBER does not.
  if (c === 120 || c === 88 || c === 98 || c === 66 || c === 111 || c === 79 || n === Infinity || n === -Infinity) return NUMBER.test(t) ? n : NaN;
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

/** ISO text for an instant in milliseconds since 1970: `2001-01-01T00:01:00Z`, milliseconds only when there are some. */
export function isoTimestamp(ms: number, utc: boolean): string {
  const s = new Date(ms).toISOString();
  const t = s.endsWith(".000Z") ? s.slice(0, -5) : s.slice(0, -1);
  return utc ? `${t}Z` : t;
}

/** ISO text for a calendar date given as days since 1970-01-01. */
export function isoDate(days: number): string {
  return new Date(days * 86_400_000).toISOString().slice(0, 10);
}

/** Caches the ISO text of timestamps, so repeated instants share one string. */
export class TimestampFormatter {
  private readonly cache = new Map<number, string>();
  constructor(
    private readonly utc: boolean,
    private readonly dateOnly = false,
  ) {}

  format(ms: number): string {
    let s = this.cache.get(ms);
    if (s === undefined) {
      s = this.dateOnly ? isoDate(Math.floor(ms / 86_400_000)) : isoTimestamp(ms, this.utc);
      if (this.cache.size < 500_000) this.cache.set(ms, s);
    }
    return s;
  }
}
