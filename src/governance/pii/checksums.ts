/**
 * The checksums and numbering rules that separate real identifiers from look-alikes: Luhn for
 * payment cards, ISO 7064 mod-97 for IBANs, and the US SSN area / group / serial rules.
 * All work on character codes or digit buffers, so the scanner's hot loop allocates nothing.
 */

/** Luhn (mod 10) over the first `n` digits of `d`, most significant first. */
export function luhnValid(d: ArrayLike<number>, n: number): boolean {
  if (n < 2) return false;
  let sum = 0;
  let double = false;
  for (let i = n - 1; i >= 0; i--) {
    let x = d[i];
    if (double) {
      x *= 2;
      if (x > 9) x -= 9;
    }
    sum += x;
    double = !double;
  }
  return sum % 10 === 0;
}

/**
 * ISO 13616 IBAN check: moves the first four characters to the end, reads letters as 10..35 and
 * takes the number mod 97, which must be 1. Spaces between groups are skipped. Expects the
 * characters to be already known as A–Z, a–z, 0–9 or space.
 */
export function ibanMod97Valid(s: string, start: number, end: number): boolean {
  let rem = 0;
  let seen = 0;
  let headEnd = start;
  for (let i = start; i < end && seen < 4; i++) {
    if (s.charCodeAt(i) !== 32) seen++;
    headEnd = i + 1;
  }
  for (let i = headEnd; i < end; i++) rem = mod97Step(rem, s.charCodeAt(i));
  for (let i = start; i < headEnd; i++) rem = mod97Step(rem, s.charCodeAt(i));
  return rem === 1;
}

function mod97Step(rem: number, c: number): number {
  if (c >= 48 && c <= 57) return (rem * 10 + (c - 48)) % 97;
  if (c >= 65 && c <= 90) return (rem * 100 + (c - 55)) % 97;
  if (c >= 97 && c <= 122) return (rem * 100 + (c - 87)) % 97;
  return rem;
}

/**
 * The SSA's rules for a US Social Security number AAA-GG-SSSS: the area is never 000, 666 or
 * 900–999, the group never 00 and the serial never 0000.
 */
export function ssnValid(area: number, group: number, serial: number): boolean {
  if (area <= 0 || area === 666 || area >= 900) return false;
  if (group <= 0 || group > 99) return false;
  return serial > 0 && serial <= 9999;
}

/**
 * Payment card brands by issuer prefix (IIN) and length, over the first `n` digits of `d`:
 * Visa, Mastercard (51–55 and 2221–2720), American Express, Discover, JCB, Diners Club,
 * UnionPay and Maestro. A Luhn-valid number outside these ranges is not reported.
 */
export function knownCardPrefix(d: ArrayLike<number>, n: number): boolean {
  if (n < 12 || n > 19) return false;
  const p1 = d[0];
  const p2 = p1 * 10 + d[1];
  const p3 = p2 * 10 + d[2];
  const p4 = p3 * 10 + d[3];
  if (p1 === 4) return n === 13 || n === 16 || n === 19;
  if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) return n === 16;
  if (p2 === 34 || p2 === 37) return n === 15;
  if (p4 >= 3528 && p4 <= 3589) return n >= 16;
  if ((p3 >= 300 && p3 <= 305) || p4 === 3095 || p2 === 36 || p2 === 38 || p2 === 39) return n >= 14;
  if (p4 === 6011 || p2 === 65 || (p3 >= 644 && p3 <= 649)) return n >= 16;
  if (p2 === 62) return n >= 16;
  if (p4 === 5018 || p4 === 5020 || p4 === 5038 || p4 === 5893 || p4 === 6304 || p4 === 6759 || (p4 >= 6761 && p4 <= 6763)) return true;
  return false;
}

/** IBAN length by country (ISO 13616 registry); a country not listed is not an IBAN country. */
const IBAN_LENGTHS: Record<string, number> = {
  AD: 24,
  AE: 23,
  AL: 28,
  AT: 20,
  AZ: 28,
  BA: 20,
  BE: 16,
  BG: 22,
  BH: 22,
  BR: 29,
  BY: 28,
  CH: 21,
  CR: 22,
  CY: 28,
  CZ: 24,
  DE: 22,
  DK: 18,
  DO: 28,
  EE: 20,
  EG: 29,
  ES: 24,
  FI: 18,
  FO: 18,
  FR: 27,
  GB: 22,
  GE: 22,
  GI: 23,
  GL: 18,
  GR: 27,
  GT: 28,
  HR: 21,
  HU: 28,
  IE: 22,
  IL: 23,
  IQ: 23,
  IS: 26,
  IT: 27,
  JO: 30,
  KW: 30,
  KZ: 20,
  LB: 28,
  LC: 32,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  MC: 27,
  MD: 24,
  ME: 22,
  MK: 19,
  MR: 27,
  MT: 31,
  MU: 30,
  NL: 18,
  NO: 15,
  PK: 24,
  PL: 28,
  PS: 29,
  PT: 25,
  QA: 29,
  RO: 24,
  RS: 22,
  SA: 24,
  SC: 31,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  ST: 25,
  SV: 28,
  TL: 23,
  TN: 24,
  TR: 26,
  UA: 29,
  VA: 22,
  VG: 24,
  XK: 20,
};

/** Packs two upper-case letters into one number, so the table can be read without a substring. */
const IBAN_LENGTH_BY_CODE = new Map<number, number>(Object.entries(IBAN_LENGTHS).map(([cc, len]) => [cc.charCodeAt(0) * 128 + cc.charCodeAt(1), len]));

/** The IBAN length of the country whose upper-case letter codes are `c1`, `c2`; 0 if none. */
export function ibanLength(c1: number, c2: number): number {
  return IBAN_LENGTH_BY_CODE.get(c1 * 128 + c2) ?? 0;
}
