/**
 * Phone numbers written as text. A leading `+` (or `00`) means an international number checked
 * against E.164: a real country code, the national number's length for the common countries, 15
 * digits at most. Without it, the layout decides: North American `(NXX) NXX-XXXX` groups, or a
 * national number with a trunk `0` (UK, DE, FR, …) split into groups. A bare run of digits is
 * a phone number only when the column's name says so: alone it is as likely an id or an amount.
 */

/** Digits and digit-group lengths of the value being checked, reused so nothing is allocated per value. */
const DIG = new Uint8Array(32);
const GROUP_LEN = new Uint8Array(16);
const GROUP_IN_PARENS = new Uint8Array(16);

/** 2: a two-digit country code; 3: the first two digits of three-digit codes (ITU-T E.164 zones). */
const COUNTRY_CODE = new Uint8Array(100);
for (const cc of [
  20, 27, 30, 31, 32, 33, 34, 36, 39, 40, 41, 43, 44, 45, 46, 47, 48, 49, 51, 52, 53, 54, 55, 56, 57, 58, 60, 61, 62, 63, 64, 65, 66, 81, 82, 84, 86, 90, 91,
  92, 93, 94, 95, 98,
])
  COUNTRY_CODE[cc] = 2;
for (const p of [21, 22, 23, 24, 25, 26, 29, 35, 37, 38, 42, 50, 59, 67, 68, 69, 80, 85, 87, 88, 96, 97, 99]) COUNTRY_CODE[p] = 3;

export function isPhoneText(s: string, a: number, b: number, nameSaysPhone: boolean): boolean {
  let n = 0;
  let groups = 0;
  let groupLen = 0;
  let inParens = false;
  let i = a;
  const plus = s.charCodeAt(i) === 43;
  if (plus) i++;
  for (; i < b; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (n === 32) return false;
      DIG[n++] = c - 48;
      groupLen++;
      continue;
    }
    if (groupLen > 0) {
      if (groups === 16) return false;
      GROUP_LEN[groups] = groupLen;
      GROUP_IN_PARENS[groups] = inParens ? 1 : 0;
      groups++;
      groupLen = 0;
    }
    if (c === 40) {
      if (inParens) return false;
      inParens = true;
    } else if (c === 41) {
      if (!inParens) return false;
      inParens = false;
    } else if (c !== 32 && c !== 45 && c !== 46 && c !== 47) {
      return false;
    }
  }
  if (inParens) return false;
  if (groupLen > 0) {
    if (groups === 16) return false;
    GROUP_LEN[groups] = groupLen;
    GROUP_IN_PARENS[groups] = 0;
    groups++;
  }
  if (n < 7 || n > 17) return false;
  if (plus) return internationalOk(0, n);
  if (DIG[0] === 0 && DIG[1] === 0 && groups >= 2) return internationalOk(2, n);
  if (n > 15) return false;
  if (nameSaysPhone) return true;
  if (groups < 2) return false;
  return northAmericanOk(n, groups) || trunkPrefixOk(n, groups);
}

/** `+CC national…` from digit `off` on. */
function internationalOk(off: number, n: number): boolean {
  const m = n - off;
  if (m < 8 || m > 15) return false;
  const d0 = DIG[off];
  if (d0 === 0) return false;
  if (d0 === 1) return m === 11 && DIG[off + 1] >= 2 && DIG[off + 4] >= 2;
  if (d0 === 7) return m === 11;
  const two = d0 * 10 + DIG[off + 1];
  const kind = COUNTRY_CODE[two];
  if (kind === 2) {
    let nat = m - 2;
    // "+44 (0)20 …": the trunk 0 is often written in brackets though it is not dialled from abroad.
    if (DIG[off + 2] === 0) nat--;
    if (two === 44) return nat === 9 || nat === 10;
    if (two === 33) return nat === 9;
    return nat >= 6 && nat <= 13;
  }
  if (kind === 3) {
    const nat = m - 3;
    return nat >= 4 && nat <= 12;
  }
  return false;
}

/** NANP: area code and exchange start with 2–9; `NXX-NXX-XXXX`, `(NXX) NXX-XXXX`, `1 NXX NXX XXXX`. */
function northAmericanOk(n: number, groups: number): boolean {
  let off = 0;
  let g = 0;
  if (n === 11 && DIG[0] === 1 && GROUP_LEN[0] === 1) {
    off = 1;
    g = 1;
  } else if (n !== 10) {
    return false;
  }
  const rest = groups - g;
  const threeThreeFour = rest === 3 && GROUP_LEN[g] === 3 && GROUP_LEN[g + 1] === 3 && GROUP_LEN[g + 2] === 4;
  const parensSeven = rest === 2 && GROUP_LEN[g] === 3 && GROUP_IN_PARENS[g] === 1 && GROUP_LEN[g + 1] === 7;
  return (threeThreeFour || parensSeven) && DIG[off] >= 2 && DIG[off + 3] >= 2;
}

/**
 * A national number with its trunk 0 (UK 020 7946 0958, DE 030/1234567, FR 01 23 45 67 89), ten
 * digits or more so that nine-digit AAA-GG-SSSS numbers starting with 0 stay SSNs.
 */
function trunkPrefixOk(n: number, groups: number): boolean {
  if (DIG[0] !== 0 || DIG[1] === 0 || n < 10 || n > 12) return false;
  for (let g = 0; g < groups; g++) if (GROUP_LEN[g] < 2 || GROUP_LEN[g] > 8) return false;
  return true;
}
