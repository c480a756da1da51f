import { ibanLength, ibanMod97Valid, knownCardPrefix, luhnValid, ssnValid } from "./checksums.js";
import { isPhoneText } from "./phoneNumber.js";
import {
  GIVEN_NAME_WORD,
  NOT_PERSON_WORD,
  isBirthDateNumber,
  isBirthDateText,
  isPersonNameText,
  isPostalAddressText,
  personNameWords,
} from "./contextValues.js";
import { ADDRESS, CARD, DOB, EMAIL, IBAN, IP, IP_SMALL, MAC, PERSON, PERSON_SUGGESTED, PHONE, SSN } from "./entityBits.js";

/**
 * Per character code (128 = any non-ASCII): what it adds to the class counters. COUNT1 holds
 * digits | letters << 8 | hex letters << 16; COUNT2 "@" | ":" << 8 | "." << 16; COUNT3 "-" |
 * " " << 8 | other << 16. "(", ")", "+" and "/" count nowhere: phone numbers use them.
 */
const COUNT1 = new Int32Array(129);
const COUNT2 = new Int32Array(129);
const COUNT3 = new Int32Array(129);
for (let c = 0; c <= 128; c++) {
  if (c >= 48 && c <= 57) COUNT1[c] = 1;
  else if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) COUNT1[c] = (1 << 8) | ((c >= 65 && c <= 70) || (c >= 97 && c <= 102) ? 1 << 16 : 0);
  else if (c === 64) COUNT2[c] = 1;
  else if (c === 58) COUNT2[c] = 1 << 8;
  else if (c === 46) COUNT2[c] = 1 << 16;
  else if (c === 45) COUNT3[c] = 1;
  else if (c === 32) COUNT3[c] = 1 << 8;
  else if (c !== 40 && c !== 41 && c !== 43 && c !== 47) COUNT3[c] = 1 << 16;
}

/** Digits of the value being checked, reused so the hot loop allocates nothing. */
const DIG = new Uint8Array(32);
const GROUP_LEN = new Uint8Array(8);

/**
 * Every entity one text value matches, as entity bits. `context` holds the bits of the entities
 * the column's name speaks of: only then are dates, names, addresses, bare 9-digit SSNs and bare
 * digit phone numbers considered (with PERSON_SUGGESTED, a name needs a given name). One pass
 * counts character classes; the structural checks and checksums run only on values whose classes
 * fit, so most values cost that one pass.
 */
export function detectText(s: string, context: number): number {
  let a = 0;
  let b = s.length;
  while (a < b && s.charCodeAt(a) <= 32) a++;
  while (b > a && s.charCodeAt(b - 1) <= 32) b--;
  const len = b - a;
  if (len < 3) return 0;
  let found = 0;
  if (context & (DOB | PERSON | ADDRESS)) {
    if (context & DOB && isBirthDateText(s, a, b)) found |= DOB;
    if (context & PERSON && isPersonNameText(s, a, b)) {
      // A place or an organisation is not a person; under a name that only suggests persons, a given name must show one.
      const words = personNameWords(s, a, b);
      if ((words & NOT_PERSON_WORD) === 0 && ((context & PERSON_SUGGESTED) === 0 || (words & GIVEN_NAME_WORD) !== 0)) found |= PERSON;
    }
    if (context & ADDRESS && isPostalAddressText(s, a, b)) found |= ADDRESS;
  }
  if (len > 254) return found;

  // Character classes counted without branches: each code adds to 8-bit fields of three
  // accumulators (values here are at most 254 characters, so no field overflows).
  let acc1 = 0;
  let acc2 = 0;
  let acc3 = 0;
  for (let i = a; i < b; i++) {
    const c = s.charCodeAt(i);
    const k = Math.min(c, 128);
    acc1 += COUNT1[k];
    acc2 += COUNT2[k];
    acc3 += COUNT3[k];
  }
  const digits = acc1 & 255;
  const letters = (acc1 >>> 8) & 255;
  const hex = acc1 >>> 16;
  const at = acc2 & 255;
  const colon = (acc2 >>> 8) & 255;
  const dot = acc2 >>> 16;
  const dash = acc3 & 255;
  const space = (acc3 >>> 8) & 255;
  const other = acc3 >>> 16;

  if (at > 0) return at === 1 && (space === 0 ? isEmail(s, a, b) : hasEmbeddedEmail(s, a, b)) ? found | EMAIL : found;
  if (colon > 0) {
    if (other !== 0 || letters !== hex || dash !== 0 || space !== 0) return found;
    if (colon === 5 && len === 17 && dot === 0 && isMacText(s, a, 58)) return found | MAC;
    if (colon >= 2 && isIPv6(s, a, b)) found |= IP;
    return found;
  }
  if (other !== 0) return found;
  if (letters === hex && digits + letters === 12) {
    if ((len === 17 && dash === 5 && isMacText(s, a, 45)) || (len === 14 && dot === 2 && isCiscoMac(s, a))) return found | MAC;
  }
  if (letters === 0) {
    if (dot === 3 && digits + 3 === len) {
      const ip = ipv4(s, a, b);
      // "1.2.0.4" is as likely a version as an address: only the column as a whole (or its name) can tell.
      return found | ((ip & IP_SMALL) === 0 ? ip : (context & IP) !== 0 ? IP : IP_SMALL);
    }
    if (digits >= 12 && digits <= 19 && digits + space + dash === len && isCardText(s, a, b)) found |= CARD;
    if (digits === 9 && isSsnText(s, a, b, (context & SSN) !== 0)) found |= SSN;
    if (digits >= 7 && isPhoneText(s, a, b, (context & PHONE) !== 0)) found |= PHONE;
    return found;
  }
  if (len >= 15 && digits >= 2 && dot === 0 && dash === 0 && isIbanText(s, a, b)) found |= IBAN;
  return found;
}

/**
 * Every entity a number matches. Numbers lose formatting and leading zeros, so only what is still
 * provable is tried: card numbers by prefix and Luhn, and (when the column's name says so) SSNs,
 * phone numbers and YYYYMMDD birth dates. A 7-digit integer is none of these on its own.
 */
export function detectNumber(v: number, context: number): number {
  if (!(v >= 1e6) || v > Number.MAX_SAFE_INTEGER || Math.floor(v) !== v) return 0;
  let n = 0;
  for (let x = v; x > 0; x = Math.floor(x / 10)) n++;
  let x = v;
  for (let i = n - 1; i >= 0; i--) {
    const d = x % 10;
    DIG[i] = d;
    x = (x - d) / 10;
  }
  let found = 0;
  if (n >= 12 && knownCardPrefix(DIG, n) && luhnValid(DIG, n)) found |= CARD;
  if (context === 0) return found;
  if (context & SSN && v <= 999_999_999 && ssnValid(Math.floor(v / 1e6), Math.floor(v / 1e4) % 100, v % 1e4)) found |= SSN;
  if (context & PHONE && n >= 7 && n <= 15) found |= PHONE;
  if (context & DOB && n === 8 && isBirthDateNumber(v)) found |= DOB;
  return found;
}

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** local@domain.tld: RFC 5321 sizes, the common local-part characters, a domain of two or more labels ending in letters. */
function isEmail(s: string, a: number, b: number): boolean {
  const p = s.indexOf("@", a);
  if (p - a < 1 || p - a > 64 || b - p - 1 < 4) return false;
  let prev = 46;
  for (let i = a; i < p; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      if (prev === 46) return false;
    } else if (!isAlnum(c) && c !== 95 && c !== 37 && c !== 43 && c !== 45 && c !== 39) {
      return false;
    }
    prev = c;
  }
  if (prev === 46) return false;
  let labels = 0;
  let labelLen = 0;
  let labelLetters = 0;
  for (let i = p + 1; i <= b; i++) {
    const c = i < b ? s.charCodeAt(i) : 46;
    if (c === 46) {
      if (labelLen === 0 || labelLen > 63 || s.charCodeAt(i - 1) === 45) return false;
      labels++;
      if (i === b) return labels >= 2 && labelLen >= 2 && labelLetters === labelLen;
      labelLen = 0;
      labelLetters = 0;
    } else if (isAlnum(c) || c === 45) {
      if (c === 45 && labelLen === 0) return false;
      labelLen++;
      if (c >= 65) labelLetters++;
    } else {
      return false;
    }
  }
  return false;
}

/** Text with an email among its words ("write to jane@example.com, thanks"): the word around the "@", without surrounding punctuation. */
function hasEmbeddedEmail(s: string, a: number, b: number): boolean {
  const at = s.indexOf("@", a);
  let start = at;
  while (start > a && s.charCodeAt(start - 1) > 32) start--;
  let end = at;
  while (end < b && s.charCodeAt(end) > 32) end++;
  while (start < at && !isAlnum(s.charCodeAt(start))) start++;
  while (end > at && !isAlnum(s.charCodeAt(end - 1))) end--;
  return isEmail(s, start, end);
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/** aa:bb:cc:dd:ee:ff or aa-bb-cc-dd-ee-ff with one separator throughout. */
function isMacText(s: string, a: number, sep: number): boolean {
  for (let i = 0; i < 17; i++) {
    const c = s.charCodeAt(a + i);
    if (i % 3 === 2 ? c !== sep : !isHex(c)) return false;
  }
  return true;
}

/** aabb.ccdd.eeff, as Cisco writes them. */
function isCiscoMac(s: string, a: number): boolean {
  for (let i = 0; i < 14; i++) {
    const c = s.charCodeAt(a + i);
    if (i === 4 || i === 9 ? c !== 46 : !isHex(c)) return false;
  }
  return true;
}

/** Four decimal octets ≤ 255 without leading zeros; IP_SMALL too when every octet is ≤ 31, as in "1.2.0.4". */
function ipv4(s: string, a: number, b: number): number {
  let octets = 0;
  let v = 0;
  let len = 0;
  let max = 0;
  for (let i = a; i <= b; i++) {
    const c = i < b ? s.charCodeAt(i) : 46;
    if (c === 46) {
      if (len === 0 || v > 255) return 0;
      if (v > max) max = v;
      octets++;
      v = 0;
      len = 0;
    } else {
      if (len === 1 && v === 0) return 0;
      v = v * 10 + (c - 48);
      len++;
      if (len > 3) return 0;
    }
  }
  if (octets !== 4) return 0;
  return max <= 31 ? IP | IP_SMALL : IP;
}

/** Eight groups of 1–4 hex digits, or fewer with one "::", optionally ending in an IPv4 address. */
function isIPv6(s: string, a: number, b: number): boolean {
  let groups = 0;
  let compressed = false;
  let i = a;
  if (s.charCodeAt(a) === 58) {
    if (s.charCodeAt(a + 1) !== 58) return false;
    compressed = true;
    i = a + 2;
    if (i === b) return false;
  }
  while (i < b) {
    let j = i;
    while (j < b && isHex(s.charCodeAt(j))) j++;
    if (j < b && s.charCodeAt(j) === 46) {
      if ((ipv4(s, i, b) & IP) === 0) return false;
      groups += 2;
      break;
    }
    const len = j - i;
    if (len === 0 || len > 4) return false;
    groups++;
    if (j === b) break;
    if (s.charCodeAt(j + 1) === 58) {
      if (compressed) return false;
      compressed = true;
      i = j + 2;
    } else {
      i = j + 1;
      if (i === b) return false;
    }
  }
  return compressed ? groups <= 7 && groups >= 1 : groups === 8;
}

/** 12–19 digits, in groups of four (or Amex / Diners 4-6-5 / 4-6-4) when separated, a card issuer's prefix, and Luhn. */
function isCardText(s: string, a: number, b: number): boolean {
  let n = 0;
  let groups = 0;
  let groupLen = 0;
  let sep = 0;
  for (let i = a; i < b; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      DIG[n++] = c - 48;
      groupLen++;
      continue;
    }
    if (sep === 0) sep = c;
    else if (c !== sep) return false;
    if (groupLen === 0 || groups === 7) return false;
    GROUP_LEN[groups++] = groupLen;
    groupLen = 0;
  }
  if (groupLen === 0) return false;
  GROUP_LEN[groups++] = groupLen;
  if (groups > 1) {
    let fours = GROUP_LEN[0] === 4;
    for (let g = 1; g < groups - 1 && fours; g++) fours = GROUP_LEN[g] === 4;
    const last = GROUP_LEN[groups - 1];
    const amexDiners = groups === 3 && GROUP_LEN[0] === 4 && GROUP_LEN[1] === 6 && (last === 5 || last === 4);
    if (!((fours && last >= 1 && last <= 4) || amexDiners)) return false;
  }
  return knownCardPrefix(DIG, n) && luhnValid(DIG, n);
}

/** AAA-GG-SSSS or AAA GG SSSS; nine bare digits only when the column's name says SSN. */
function isSsnText(s: string, a: number, b: number, nameSaysSsn: boolean): boolean {
  const len = b - a;
  let p = a;
  if (len === 11) {
    const s1 = s.charCodeAt(a + 3);
    if ((s1 !== 45 && s1 !== 32) || s.charCodeAt(a + 6) !== s1) return false;
  } else if (len !== 9 || !nameSaysSsn) {
    return false;
  }
  let area = 0;
  let group = 0;
  let serial = 0;
  for (let k = 0; k < 9; k++) {
    const c = s.charCodeAt(p++);
    if (c < 48 || c > 57) return false;
    const d = c - 48;
    if (k < 3) area = area * 10 + d;
    else if (k < 5) group = group * 10 + d;
    else serial = serial * 10 + d;
    if (len === 11 && (k === 2 || k === 4)) p++;
  }
  return ssnValid(area, group, serial);
}

/** Country code, check digits, the country's length (ignoring spaces), then mod-97. */
function isIbanText(s: string, a: number, b: number): boolean {
  let c1 = s.charCodeAt(a);
  let c2 = s.charCodeAt(a + 1);
  if (c1 >= 97) c1 -= 32;
  if (c2 >= 97) c2 -= 32;
  if (c1 < 65 || c1 > 90 || c2 < 65 || c2 > 90) return false;
  const d1 = s.charCodeAt(a + 2);
  const d2 = s.charCodeAt(a + 3);
  if (d1 < 48 || d1 > 57 || d2 < 48 || d2 > 57) return false;
  const expected = ibanLength(c1, c2);
  if (expected === 0) return false;
  let n = 0;
  for (let i = a; i < b; i++) {
    const c = s.charCodeAt(i);
    if (c === 32) continue;
    if (!isAlnum(c)) return false;
    n++;
  }
  return n === expected && ibanMod97Valid(s, a, b);
}
