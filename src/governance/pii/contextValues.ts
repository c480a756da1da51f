/**
 * Plausibility checks for the entities whose values alone prove nothing: a date is a date of
 * birth, a few words are a person's name, and a line of text is a postal address only when the
 * column's name says so. These checks then keep out what clearly is not (a timestamp in 2090, a
 * product code with digits in a name column, a bare number in an address column).
 */

import { GIVEN_NAMES, NOT_PERSON_WORDS, PERSON_TITLES } from "./nameWords.js";

/** Latest year a date of birth can have; fixed when the module loads, which is close enough for a plausibility bound. */
const THIS_YEAR = new Date().getUTCFullYear();

function daysIn(month: number, year: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

export function plausibleBirthDate(year: number, month: number, day: number): boolean {
  return year >= 1900 && year <= THIS_YEAR && month >= 1 && month <= 12 && day >= 1 && day <= daysIn(month, year);
}

function digitAt(s: string, i: number): number {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
}

/** Reads up to `maxLen` digits from `i`; returns value * 16 + length, or -1. Packed so no object is allocated. */
function readNumber(s: string, i: number, b: number, maxLen: number): number {
  let v = 0;
  let len = 0;
  while (i + len < b && len < maxLen) {
    const d = digitAt(s, i + len);
    if (d < 0) break;
    v = v * 10 + d;
    len++;
  }
  return len === 0 ? -1 : v * 16 + len;
}

/**
 * ISO `YYYY-MM-DD` (also with `/` or `.`, and an optional time after `T` or a space), `YYYYMMDD`,
 * and day-month-year or month-day-year with `.`, `/` or `-`: a real calendar day between 1900 and this year.
 */
export function isBirthDateText(s: string, a: number, b: number): boolean {
  const first = readNumber(s, a, b, 8);
  if (first < 0) return false;
  const firstLen = first % 16;
  const firstVal = (first - firstLen) / 16;
  if (firstLen === 8 && a + 8 === b) return plausibleBirthDate(Math.floor(firstVal / 10000), Math.floor(firstVal / 100) % 100, firstVal % 100);
  if (a + firstLen >= b) return false;
  const sep = s.charCodeAt(a + firstLen);
  if (sep !== 45 && sep !== 47 && sep !== 46) return false;
  const second = readNumber(s, a + firstLen + 1, b, 2);
  if (second < 0) return false;
  const secondLen = second % 16;
  const secondVal = (second - secondLen) / 16;
  const p = a + firstLen + 1 + secondLen;
  if (p >= b || s.charCodeAt(p) !== sep) return false;
  const third = readNumber(s, p + 1, b, 4);
  if (third < 0) return false;
  const thirdLen = third % 16;
  const thirdVal = (third - thirdLen) / 16;
  const end = p + 1 + thirdLen;
  if (firstLen === 4) {
    if (thirdLen > 2) return false;
    if (end < b) {
      const t = s.charCodeAt(end);
      if (t !== 84 && t !== 32) return false;
    }
    return plausibleBirthDate(firstVal, secondVal, thirdVal);
  }
  if (firstLen > 2 || thirdLen !== 4 || end !== b) return false;
  return plausibleBirthDate(thirdVal, secondVal, firstVal) || plausibleBirthDate(thirdVal, firstVal, secondVal);
}

/** A birth date stored as the number YYYYMMDD. */
export function isBirthDateNumber(v: number): boolean {
  if (v < 19000101 || v > 99991231) return false;
  return plausibleBirthDate(Math.floor(v / 10000), Math.floor(v / 100) % 100, v % 100);
}

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 0xc0 && c !== 0xd7 && c !== 0xf7 && c !== 0x2019);
}

/**
 * One to six words of letters (any script), joined by spaces, hyphens, apostrophes, dots or a
 * comma ("Smith, Jane"), at least one word of two letters or more, no digits, at most 80 characters.
 */
export function isPersonNameText(s: string, a: number, b: number): boolean {
  const len = b - a;
  if (len < 2 || len > 80) return false;
  let words = 0;
  let run = 0;
  let longest = 0;
  for (let i = a; i < b; i++) {
    const c = s.charCodeAt(i);
    if (isLetter(c)) {
      if (run === 0) words++;
      run++;
      if (run > longest) longest = run;
    } else if (c === 32 || c === 45 || c === 39 || c === 0x2019 || c === 46 || c === 44) {
      run = 0;
    } else {
      return false;
    }
  }
  return words <= 6 && longest >= 2;
}

/** Bits of personNameWords: a word of the value is a given name or a title; a word names a kind of place or organisation. */
export const GIVEN_NAME_WORD = 1;
export const NOT_PERSON_WORD = 2;

/**
 * What the words of a value shaped like a name say about it (see nameWords.ts): GIVEN_NAME_WORD
 * when one is a common given name or a title ("Jane Doe", "Mr. Lee"), NOT_PERSON_WORD when one
 * names a kind of place or organisation ("Livingston Municipal", "Acme Inc", "Salaries and
 * Expenses"). Words are split where isPersonNameText splits them. Runs only in columns whose
 * name speaks of persons, so the lower-casing it allocates is not on the scanner's hot path.
 */
export function personNameWords(s: string, a: number, b: number): number {
  let found = 0;
  let start = -1;
  for (let i = a; i <= b; i++) {
    const c = i < b ? s.charCodeAt(i) : 32;
    if (c === 32 || c === 45 || c === 39 || c === 0x2019 || c === 46 || c === 44) {
      if (start >= 0) {
        found |= wordEvidence(s.slice(start, i).toLowerCase());
        if (found & NOT_PERSON_WORD) return found;
      }
      start = -1;
    } else if (start < 0) {
      start = i;
    }
  }
  return found;
}

function wordEvidence(word: string): number {
  if (NOT_PERSON_WORDS.has(word)) return NOT_PERSON_WORD;
  if (GIVEN_NAMES.has(word) || PERSON_TITLES.has(word)) return GIVEN_NAME_WORD;
  for (let i = 0; i < word.length; i++) {
    if (word.charCodeAt(i) >= 0x80) {
      // "José" is listed as "jose": compare without the accents.
      const plain = word.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
      return plain !== word && GIVEN_NAMES.has(plain) ? GIVEN_NAME_WORD : 0;
    }
  }
  return 0;
}

/**
 * A line of an address: 5–200 characters, at least two words, one of them two letters or longer,
 * and a house number, postcode or comma, as addresses have and free-text categories do not.
 */
export function isPostalAddressText(s: string, a: number, b: number): boolean {
  const len = b - a;
  if (len < 5 || len > 200) return false;
  let words = 0;
  let run = 0;
  let longest = 0;
  let digits = 0;
  let commas = 0;
  let inWord = false;
  for (let i = a; i < b; i++) {
    const c = s.charCodeAt(i);
    if (c === 64) return false;
    if (c === 32 || c === 44 || c === 10) {
      if (c === 44) commas++;
      inWord = false;
      run = 0;
      continue;
    }
    if (!inWord) {
      words++;
      inWord = true;
    }
    if (c >= 48 && c <= 57) {
      digits++;
      run = 0;
    } else if (isLetter(c)) {
      run++;
      if (run > longest) longest = run;
    } else {
      run = 0;
    }
  }
  return words >= 2 && longest >= 2 && (digits > 0 || commas > 0);
}
