import { DwError } from "../errors/DwError.js";

/** Node's Buffer has these natively; `toString(encoding, …)` adds argument checks that cost more than the copy for a short field. */
type FastSlices = Buffer & { latin1Slice(start: number, end: number): string; utf8Slice(start: number, end: number): string };

/**
 * Encodings text files are decoded from. UTF-8 is the default and what Arrow and JSON require;
 * windows-1252 is the "ANSI" encoding of Western European Windows and old Excel exports (a
 * superset of ISO-8859-1 / Latin-1 for every printable character).
 */
export type TextEncoding = "utf-8" | "windows-1252";

/**
 * windows-1252 for the bytes 0x80–0x9F (elsewhere it is Latin-1, one byte one code point). The
 * five bytes it leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) map to the C1 controls, as the
 * WHATWG decoder does; implausibleWindows1252 refuses them.
 */
const CP1252_80_9F =
  "\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f" +
  "\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178";

/** The text of `buf[start, end)` in `encoding`, decoded as Latin-1 (a plain copy) when every byte is ASCII. */
export function decodeBytes(buf: Buffer, start: number, end: number, encoding: TextEncoding = "utf-8"): string {
  const b = buf as FastSlices;
  for (let i = start; i < end; i++) {
    if (buf[i] >= 0x80) return encoding === "utf-8" ? b.utf8Slice(start, end) : windows1252(b, start, end);
  }
  return b.latin1Slice(start, end);
}

function windows1252(b: FastSlices, start: number, end: number): string {
  const s = b.latin1Slice(start, end);
  for (let i = start; i < end; i++) {
    if (b[i] >= 0x80 && b[i] <= 0x9f) return s.replace(/[\x80-\x9f]/g, (c) => CP1252_80_9F[c.charCodeAt(0) - 0x80]);
  }
  return s;
}

/**
 * The index of the first byte of `buf[start, end)` that does not begin a well-formed UTF-8
 * sequence (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF), or -1. A
 * sequence cut by `end` counts as malformed.
 */
export function invalidUtf8At(buf: Buffer, start: number, end: number): number {
  let i = start;
  while (i < end) {
    const c = buf[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    let n: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) n = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      n = 2;
      if (c === 0xe0) lo = 0xa0;
      else if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3;
      if (c === 0xf0) lo = 0x90;
      else if (c === 0xf4) hi = 0x8f;
    } else return i;
    if (i + n >= end) return i;
    const second = buf[i + 1];
    if (second < lo || second > hi) return i;
    for (let k = 2; k <= n; k++) if (buf[i + k] < 0x80 || buf[i + k] > 0xbf) return i;
    i += n + 1;
  }
  return -1;
}

/**
 * Where bytes that are not UTF-8 stop looking like Western European text, or -1. Read as
 * windows-1252, any byte is *some* character, so a file in another legacy encoding (Cyrillic
 * windows-1251, Greek, Shift-JIS, GBK…) would load as plausible-looking nonsense: "Москва" in
 * windows-1251 reads "Ìîñêâà". Two signs give such files away: a byte windows-1252 leaves
 * undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D, common in those encodings), and four or more non-ASCII
 * bytes in a row, which whole words in those scripts have and Western text almost never does
 * (accented letters sit between ASCII ones: "Zürich", "Þórður", "São João").
 */
export function implausibleWindows1252(buf: Buffer, start: number, end: number): number {
  let run = 0;
  for (let i = start; i < end; i++) {
    const c = buf[i];
    if (c < 0x80) {
      run = 0;
      continue;
    }
    if (c === 0x81 || c === 0x8d || c === 0x8f || c === 0x90 || c === 0x9d) return i;
    if (++run === 4) return i - 3;
  }
  return -1;
}

/**
 * Decodes fields and settles the file's encoding on the way (see docs/data.md, "Text encodings").
 * A file is read as UTF-8 until a field's bytes are not UTF-8. If no field before held non-ASCII
 * UTF-8, the file is windows-1252 (every earlier field was ASCII, which reads the same in both),
 * and it is read so from there on. A file with both (a field of non-ASCII UTF-8 and a field that
 * is not UTF-8, in either order) mixes encodings and is refused: decoding either way would garble
 * one part ("ZÃ¼rich" or "Z\uFFFDrich"). A UTF-8 byte order mark, or an encoding the caller gives,
 * settles it at the start: bytes that do not fit are then an error. Every error names the line
 * and the byte offset in the file.
 */
export class FieldDecoder {
  /** How the encoding was settled before any field was read: by the caller or by a UTF-8 byte order mark. */
  fixed: "caller" | "bom" | null;
  /** File offset of byte 0 of the buffer being scanned. */
  base = 0;
  /** `buf[0, validEnd)` is known to be UTF-8 as a whole (checked once per chunk), so its fields need no check of their own. */
  validEnd = 0;
  /** Line of the first field with non-ASCII UTF-8 in it: after that, bytes that are not UTF-8 cannot make the file windows-1252. */
  private utf8Line = 0;
  /** Line of the first field that was not UTF-8 (it made the file windows-1252): after that, UTF-8 text is a second encoding. */
  private notUtf8Line = 0;

  constructor(
    public encoding: TextEncoding,
    private readonly source: string,
    given: boolean,
  ) {
    this.fixed = given ? "caller" : null;
  }

  text(buf: Buffer, start: number, end: number, recordStart: number, recordLine: number): string {
    let i = start;
    while (i < end && buf[i] < 0x80) i++;
    if (i === end) return decodeBytes(buf, start, end);
    if (this.encoding === "windows-1252") {
      if (this.fixed === null) {
        // Real windows-1252 text is almost never valid UTF-8 too ("ü" is one byte, FC, which UTF-8 never has alone).
        if (invalidUtf8At(buf, i, end) < 0)
          throw this.mixed(lineOf(buf, recordStart, recordLine, i), this.base + i, lineOf(buf, recordStart, recordLine, i), this.notUtf8Line);
        this.checkWindows1252(buf, start, end, recordStart, recordLine);
      }
      return decodeBytes(buf, start, end, "windows-1252");
    }
    const bad = end <= this.validEnd ? -1 : invalidUtf8At(buf, i, end);
    if (bad < 0) {
      if (this.utf8Line === 0) this.utf8Line = lineOf(buf, recordStart, recordLine, i);
      return decodeBytes(buf, start, end);
    }
    const line = lineOf(buf, recordStart, recordLine, bad);
    const at = `byte 0x${buf[bad].toString(16).toUpperCase()} at offset ${this.base + bad}`;
    const details = { file: this.source, line, offset: this.base + bad };
    if (this.fixed === "bom") {
      throw new DwError("DATA_ERROR", `${this.source}, line ${line}: the file starts with a UTF-8 byte order mark, but ${at} is not UTF-8.`, {
        hint: SAVE_AS_UTF8,
        details: { ...details, encoding: "utf-8" },
      });
    }
    if (this.fixed === "caller") {
      throw new DwError("DATA_ERROR", `${this.source}, line ${line}: ${at} is not UTF-8.`, { hint: SAVE_AS_UTF8, details: { ...details, encoding: "utf-8" } });
    }
    if (this.utf8Line > 0) throw this.mixed(line, this.base + bad, this.utf8Line, line);
    this.encoding = "windows-1252";
    this.notUtf8Line = line;
    this.checkWindows1252(buf, start, end, recordStart, recordLine);
    return decodeBytes(buf, start, end, "windows-1252");
  }

  /** A file with UTF-8 text on one line and bytes that are not UTF-8 on another; `line` and `offset` are where the second kind was met. */
  private mixed(line: number, offset: number, utf8Line: number, notUtf8Line: number): DwError {
    return new DwError(
      "DATA_ERROR",
      `${this.source}, line ${line} (byte offset ${offset}): the file mixes two encodings: line ${utf8Line} holds UTF-8 text, line ${notUtf8Line} bytes that are not UTF-8 (windows-1252 or Latin-1, as older Excel and Windows programs write).`,
      {
        hint: `Text from two sources was joined without converting one. Convert the lines that are not UTF-8, or export the whole file again from its source as UTF-8 (${HOW_TO_SAVE_AS_UTF8}).`,
        details: { file: this.source, line, offset, utf8_line: utf8Line, not_utf8_line: notUtf8Line },
      },
    );
  }

  private checkWindows1252(buf: Buffer, start: number, end: number, recordStart: number, recordLine: number): void {
    const odd = implausibleWindows1252(buf, start, end);
    if (odd < 0) return;
    const line = lineOf(buf, recordStart, recordLine, odd);
    const text = decodeBytes(buf, start, end, "windows-1252");
    throw new DwError(
      "DATA_ERROR",
      `${this.source}, line ${line}: the bytes at offset ${this.base + odd} are neither UTF-8 nor Western European text (windows-1252), the two encodings dw reads; as windows-1252 they would read '${text.length > 40 ? `${text.slice(0, 40)}…` : text}'.`,
      {
        hint: `The file is probably in another encoding (Cyrillic, Greek, Chinese, Japanese…). ${SAVE_AS_UTF8}`,
        details: { file: this.source, line, offset: this.base + odd },
      },
    );
  }
}

const HOW_TO_SAVE_AS_UTF8 = 'Excel: Save As, "CSV UTF-8"; pandas: df.to_csv(path, encoding="utf-8"); iconv -f <its encoding> -t utf-8';
const SAVE_AS_UTF8 = `Save it as UTF-8 (${HOW_TO_SAVE_AS_UTF8}) and load it again.`;

/** The line of `buf[pos]`, counting the newlines between the start of its record and it (quoted fields can hold some). */
function lineOf(buf: Buffer, recordStart: number, recordLine: number, pos: number): number {
  let line = recordLine;
  for (let i = recordStart; i < pos; i++) if (buf[i] === 0x0a) line++;
  return line;
}
