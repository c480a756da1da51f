import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import type { Dataset } from "./Dataset.js";
import { DwError } from "../errors/DwError.js";
import { CsvScanner, sniffDelimiter, type FastRow, type RecordSink } from "./csvScanner.js";
import type { TextEncoding } from "./decodeBytes.js";
import { CsvTable } from "./csvColumns.js";
import { readCsvParallel, type ParallelCsvOptions } from "./readCsvParallel.js";

const CHUNK = 1 << 20;

/** What a CSV file was decoded from: UTF-8 (with or without a byte order mark), windows-1252 when its bytes are not UTF-8, or UTF-16 with a byte order mark. */
export type CsvEncoding = TextEncoding | "utf-16le" | "utf-16be";

/**
 * Reads a CSV file from disk in 1 MiB chunks into typed columns (see ColumnBuilder for the
 * inference); a file of 16 MiB or more in parts on worker threads, with the same result
 * (`parallel`; see readCsvParallel). The delimiter is sniffed from the first 64 KiB unless
 * given. The text is UTF-8,
 * or windows-1252 when the bytes are not UTF-8, or UTF-16 after its byte order mark; what was
 * used is returned as `encoding` (docs/data.md, "Text encodings").
 */
export async function readCsvFile(
  file: string,
  source: string,
  delimiter?: string,
  parallel?: ParallelCsvOptions,
): Promise<{ ds: Dataset; delimiter: string; encoding: CsvEncoding }> {
  const sample = await readSample(file, source);
  const d = delimiter ?? sniffDelimiter(sample.text);
  // A large file is read in parts on all cores (same columns; see readCsvParallel), UTF-16 serially.
  const inParts = sample.utf16 ? null : await readCsvParallel(file, source, d, parallel);
  if (inParts) return { ds: inParts.ds, delimiter: d, encoding: inParts.encoding };
  const table = new CsvTable(source, d.charCodeAt(0));
  const encoding = await scanFile(file, d, source, table.record, sample.utf16, undefined, table.fastRow);
  if (table.rereads().length > 0) {
    const second = table.secondPass();
    await scanFile(file, d, source, second, sample.utf16, encoding);
  }
  return { ds: table.finish(), delimiter: d, encoding: sample.utf16 ?? encoding };
}

/** The delimiter readCsvFile would sniff from the file's first 64 KiB (comma, semicolon, tab or pipe). */
export async function sniffCsvDelimiter(file: string, source: string): Promise<string> {
  return sniffDelimiter((await readSample(file, source)).text);
}

/** The same as readCsvFile, for CSV text already in memory. */
export function parseCsvText(text: string, source: string, delimiter?: string): { ds: Dataset; delimiter: string } {
  const d = delimiter ?? sniffDelimiter(text.slice(0, 65536));
  const buf = Buffer.from(text, "utf8");
  const table = new CsvTable(source, d.charCodeAt(0));
  scanBuffer(buf, d, source, table.record, table.fastRow);
  if (table.rereads().length > 0) scanBuffer(buf, d, source, table.secondPass());
  return { ds: table.finish(), delimiter: d };
}

function scanBuffer(buf: Buffer, d: string, source: string, sink: RecordSink, fastRow?: FastRow): void {
  const scanner = new CsvScanner(d.charCodeAt(0), source, sink, undefined, { fastRow });
  scanner.feed(buf);
  scanner.end();
}

/**
 * One pass over the file; returns the encoding its fields were read in. `encoding` (from an
 * earlier pass) reads them in that one without looking again. UTF-16 is turned into UTF-8 on
 * the way, since the scanner finds delimiters, quotes and newlines as single ASCII bytes.
 */
async function scanFile(
  file: string,
  d: string,
  source: string,
  sink: RecordSink,
  utf16?: Utf16,
  encoding?: TextEncoding,
  fastRow?: FastRow,
): Promise<TextEncoding> {
  const scanner = new CsvScanner(d.charCodeAt(0), source, sink, utf16 ? "utf-8" : encoding, { fastRow });
  const toUtf8 = utf16 ? utf16ToUtf8(utf16, source) : null;
  for await (const chunk of createReadStream(file, { highWaterMark: CHUNK })) scanner.feed(toUtf8 ? toUtf8(chunk as Buffer, false) : (chunk as Buffer));
  if (toUtf8) scanner.feed(toUtf8(Buffer.alloc(0), true));
  scanner.end();
  return scanner.encoding;
}

type Utf16 = "utf-16le" | "utf-16be";

/** Decodes UTF-16 chunks of either byte order (the byte order mark dropped) into UTF-8 chunks; a byte or surrogate cut by a chunk waits for the next. */
function utf16ToUtf8(encoding: Utf16, source: string): (chunk: Buffer, last: boolean) => Buffer {
  const decoder = new TextDecoder("utf-16le", { fatal: true });
  let held: Buffer | null = null;
  let offset = 0;
  return (chunk, last) => {
    let bytes = chunk;
    if (encoding === "utf-16be") {
      // Swap each pair and read it as little-endian: Node decodes UTF-16LE without ICU.
      const joined = held ? Buffer.concat([held, chunk]) : chunk;
      const even = joined.length & ~1;
      bytes = Buffer.from(joined.subarray(0, even)).swap16();
      held = even < joined.length ? Buffer.from(joined.subarray(even)) : null;
      if (last && held) bytes = Buffer.concat([bytes, held]);
    }
    let text: string;
    try {
      text = decoder.decode(bytes, { stream: !last });
    } catch {
      throw new DwError(
        "DATA_ERROR",
        `${source}: the file starts with a UTF-16 byte order mark, but the bytes from offset ${offset} to ${offset + chunk.length} are not UTF-16 (a surrogate without its pair, or an odd number of bytes).`,
        {
          hint: 'Save it again as UTF-8 (Excel: Save As, "CSV UTF-8"; pandas: df.to_csv(path, encoding="utf-8")) and load it again.',
          details: { file: source, offset, encoding },
        },
      );
    }
    offset += chunk.length;
    return Buffer.from(text, "utf8");
  };
}

/**
 * The first 64 KiB, as text to sniff the delimiter from, and whether a UTF-16 byte order mark
 * starts the file. A NUL byte anywhere else in it means this is no text dw can read: an Excel
 * workbook or other binary file under a .csv name, or UTF-16 without a byte order mark.
 */
async function readSample(file: string, source: string): Promise<{ text: string; utf16?: Utf16 }> {
  const fh = await open(file, "r");
  let bytes: Buffer;
  try {
    const buf = Buffer.alloc(65536);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    bytes = buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
  const utf16: Utf16 | undefined = bytes[0] === 0xff && bytes[1] === 0xfe ? "utf-16le" : bytes[0] === 0xfe && bytes[1] === 0xff ? "utf-16be" : undefined;
  if (utf16) {
    // Not fatal here: the sample may end inside a character; scanFile reads the whole file strictly.
    const pairs = bytes.subarray(0, bytes.length & ~1);
    return { text: new TextDecoder("utf-16le").decode(utf16 === "utf-16be" ? Buffer.from(pairs).swap16() : pairs), utf16 };
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    let line = 1;
    for (let i = 0; i < nul; i++) if (bytes[i] === 0x0a) line++;
    throw new DwError(
      "DATA_ERROR",
      `${source}, line ${line}: byte ${nul} is a NUL (0x00), which no CSV text holds: the file is binary (an Excel workbook saved under a .csv name?) or UTF-16 without a byte order mark.`,
      {
        hint: 'Export the data as CSV in UTF-8 (Excel: Save As, "CSV UTF-8"), or as Parquet, and load that file.',
        details: { file: source, line, offset: nul },
      },
    );
  }
  // Delimiters, quotes and newlines are ASCII: any one-byte reading finds them.
  return { text: bytes.toString("latin1") };
}
