/**
 * Milliseconds since the epoch of an ISO date or timestamp of the shapes parseCsv types as dates
 * (`2015-12-31`, `2015-12-31T23:59`, `2015-12-31 23:59:59.123`, with `Z` or `±hh:mm`), or NaN.
 * A time without a zone is read as UTC, so the result does not depend on the machine's zone
 * (Date.parse reads it as local time). Hand-written because profiling parses every value of a
 * date column and Date.parse is several times slower.
 */
export function parseIsoTime(s: string): number {
  const n = s.length;
  if (n < 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return NaN;
  const y = digits(s, 0, 4);
  const mo = digits(s, 5, 2);
  const d = digits(s, 8, 2);
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return NaN;
  let ms = daysFromCivil(y, mo, d) * 86_400_000;
  if (n === 10) return ms;
  const sep = s.charCodeAt(10);
  if ((sep !== 84 && sep !== 32 && sep !== 116) || n < 16 || s.charCodeAt(13) !== 58) return NaN;
  const h = digits(s, 11, 2);
  const mi = digits(s, 14, 2);
  ms += h * 3_600_000 + mi * 60_000;
  let i = 16;
  if (i < n && s.charCodeAt(i) === 58) {
    ms += digits(s, 17, 2) * 1000;
    i = 19;
    if (i < n && s.charCodeAt(i) === 46) {
      i++;
      let scale = 100;
      const start = i;
      while (i < n) {
        const c = s.charCodeAt(i) - 48;
        if (c < 0 || c > 9) break;
        ms += c * scale;
        scale /= 10;
        i++;
      }
      if (i === start) return NaN;
    }
  }
  if (i === n) return ms;
  const z = s.charCodeAt(i);
  if ((z === 90 || z === 122) && i + 1 === n) return ms;
  if (z !== 43 && z !== 45) return NaN;
  const oh = digits(s, i + 1, 2);
  const rest = s.charCodeAt(i + 3) === 58 ? i + 4 : i + 3;
  const om = digits(s, rest, 2);
  if (rest + 2 !== n) return NaN;
  const offset = (oh * 60 + om) * 60_000;
  return z === 43 ? ms - offset : ms + offset;
}

/** The decimal number in s[at, at+len), or NaN when a character is not a digit. */
function digits(s: string, at: number, len: number): number {
  let v = 0;
  for (let i = at; i < at + len; i++) {
    const c = s.charCodeAt(i) - 48;
    if (!(c >= 0 && c <= 9)) return NaN;
    v = v * 10 + c;
  }
  return v;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}
