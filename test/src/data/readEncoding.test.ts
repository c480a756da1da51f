import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { isUtf8 } from "node:buffer";
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { makeTempWorkspace, type TempWorkspace } from "../../helpers/tempWorkspace.js";
import { createToolContext, runTool, type ToolContext } from "../../../src/index.js";
import { ok, err } from "../../helpers/results.js";
import { forgetReadDatasets, readDataset } from "../../../src/data/readDataset.js";
import { readCsvFile } from "../../../src/data/readCsv.js";
import { decodeBytes, implausibleWindows1252, invalidUtf8At } from "../../../src/data/decodeBytes.js";
import { makeRandom } from "../governance/pii/piiFixture.js";

let tw: TempWorkspace;
let ctx: ToolContext;

before(async () => {
  tw = await makeTempWorkspace();
  ctx = await createToolContext({ cwd: tw.dir, origin: { via: "test" } });
});
after(async () => tw.cleanup());

/** Writes the bytes, loads them with load_dataset, and returns the tool's answer and every value of every column. */
async function load(name: string, bytes: Buffer): Promise<{ out: Record<string, any>; values: Record<string, unknown[]> }> {
  await writeFile(join(tw.dir, name), bytes);
  const out = ok(await runTool("load_dataset", { path: name }, ctx));
  const { ds } = await readDataset(ctx.workspace, out.dataset_id);
  return { out, values: Object.fromEntries(ds.columns.map((c) => [c.name, Array.from(c.values as ArrayLike<unknown>)])) };
}

/** The values a later process gets: from the cached bytes, without the columns load_dataset kept. */
async function reread(datasetId: string): Promise<Record<string, unknown[]>> {
  forgetReadDatasets();
  await rm(join(tw.dir, ".dw", "cache", "columns"), { recursive: true, force: true });
  const { ds } = await readDataset(ctx.workspace, datasetId);
  return Object.fromEntries(ds.columns.map((c) => [c.name, Array.from(c.values as ArrayLike<unknown>)]));
}

/**
 * windows-1252, byte by byte (Microsoft's table, as the Unicode consortium publishes it in
 * MAPPINGS/VENDORS/MICSFT/WINDOWS/CP1252.TXT): Latin-1 except 0x80–0x9F. The five bytes it leaves
 * undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) stay C1 controls, as WHATWG decoders give them.
 */
const CP1252 =
  Array.from({ length: 128 }, (_, i) => String.fromCharCode(i)).join("") +
  "€\x81‚ƒ„…†‡ˆ‰Š‹Œ\x8DŽ\x8F\x90‘’“”•–—˜™š›œ\x9DžŸ" +
  Array.from({ length: 96 }, (_, i) => String.fromCharCode(0xa0 + i)).join("");

const CITIES = ["Zürich", "São Paulo", "Ñandú", "Malmö", "Þjóðólfur", "Besançon"];

test("UTF-8 loads as written, in every script; a UTF-8 byte order mark is dropped, not part of the first column's name", async () => {
  const text = `city,n\n${[...CITIES, "東京", "Москва", "😀 ok"].map((c, i) => `${c},${i}`).join("\n")}\n`;
  const plain = await load("utf8.csv", Buffer.from(text, "utf8"));
  assert.deepEqual(plain.values.city, [...CITIES, "東京", "Москва", "😀 ok"]);
  const bom = await load("utf8-bom.csv", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, "utf8")]));
  assert.deepEqual(Object.keys(bom.values), ["city", "n"]);
  assert.deepEqual(bom.values.city, plain.values.city);
  assert.equal((await readCsvFile(join(tw.dir, "utf8-bom.csv"), "utf8-bom.csv")).encoding, "utf-8");
});

test("Latin-1 bytes (as pandas' encoding='latin-1' or an old Excel export writes them) load as the same text, not as U+FFFD", async () => {
  const text = `city,n\n${CITIES.map((c, i) => `${c},${i}`).join("\n")}\n`;
  const bytes = Buffer.from(text, "latin1");
  assert.equal(isUtf8(bytes), false, "the fixture is not UTF-8");
  const { out, values } = await load("latin1.csv", bytes);
  assert.deepEqual(values.city, CITIES);
  assert.equal(out.preview[0].city, "Zürich");
  assert.ok(!values.city.some((v) => String(v).includes("\uFFFD")));
  assert.deepEqual((await reread(out.dataset_id)).city, CITIES, "a reader of the cached copy decodes it the same way");
  assert.equal((await readCsvFile(join(tw.dir, "latin1.csv"), "latin1.csv")).encoding, "windows-1252");
});

test("windows-1252 specials: €, curly quotes, dashes, ellipsis, ™, Š, Œ, Ÿ decode as Windows wrote them", async () => {
  // Bytes 0x80–0x9F are where windows-1252 differs from ISO-8859-1.
  const fields = [
    [Buffer.from([0x80, 0x20, 0x35]), "€ 5"],
    [Buffer.from([0x93, 0x68, 0x69, 0x94]), "“hi”"],
    [Buffer.from([0x91, 0x6f, 0x6b, 0x92]), "‘ok’"],
    [Buffer.from([0x61, 0x96, 0x62, 0x97, 0x63, 0x85]), "a–b—c…"],
    [Buffer.from([0x44, 0x77, 0x99]), "Dw™"],
    [Buffer.from([0x8a, 0x6b, 0x6f, 0x64, 0x61]), "Škoda"],
    [Buffer.from([0x8c, 0x75, 0x76, 0x72, 0x65]), "Œuvre"],
    [Buffer.from([0x9f, 0x20, 0x79, 0x20, 0xff]), "Ÿ y ÿ"],
  ] as const;
  const rows = fields.map(([b], i) => Buffer.concat([b, Buffer.from(`,${i}\n`)]));
  const { values } = await load("cp1252.csv", Buffer.concat([Buffer.from("note,n\n"), ...rows]));
  assert.deepEqual(
    values.note,
    fields.map(([, s]) => s),
  );
  // The whole table, against Microsoft's published one typed out here. (Node's own
  // TextDecoder("windows-1252") cannot serve: in Node 20 it decodes ISO-8859-1, 0x80 as U+0080.)
  const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  assert.equal(decodeBytes(all, 0, 256, "windows-1252"), CP1252);
});

test("the first non-ASCII byte past the first 1 MiB chunk, and a column read again as text, are decoded the same way", async () => {
  const head = ["id,v,city"];
  for (let i = 0; i < 70_000; i++) head.push(`${i},${i},Paris`);
  const bytes = Buffer.concat([Buffer.from(head.join("\n") + "\n"), Buffer.from("x,caf\xe9,Z\xfcrich\n", "latin1")]);
  assert.ok(bytes.length > 1 << 20);
  const { out, values } = await load("late.csv", bytes);
  assert.equal(out.rows, 70_001);
  assert.deepEqual(values.v.slice(-2), ["69999", "café"], "v turned to text at the last row and was read again");
  assert.deepEqual(values.city.slice(-2), ["Paris", "Zürich"]);
  assert.deepEqual((await reread(out.dataset_id)).v.slice(-1), ["café"]);
});

test("UTF-16 with a byte order mark (either byte order) loads as its text", async () => {
  const text = "city,n\r\nZürich,1\r\n東京,2\r\n😀,3\r\n";
  const le = await load("u16le.csv", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]));
  assert.deepEqual(le.values.city, ["Zürich", "東京", "😀"]);
  const be = await load("u16be.csv", Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, "utf16le").swap16()]));
  assert.deepEqual(be.values.city, ["Zürich", "東京", "😀"]);
  assert.equal((await readCsvFile(join(tw.dir, "u16be.csv"), "u16be.csv")).encoding, "utf-16be");
});

/** The DATA_ERROR load_dataset answers for these bytes. */
async function refused(name: string, bytes: Buffer): Promise<{ message: string; hint?: string; details?: Record<string, unknown> }> {
  await writeFile(join(tw.dir, name), bytes);
  const e = err(await runTool("load_dataset", { path: name }, ctx));
  assert.equal(e.code, "DATA_ERROR");
  assert.ok(e.message.startsWith(name), `the message names the file: ${e.message}`);
  assert.match(e.hint ?? "", /UTF-8/);
  return e;
}

test("bytes that are neither are refused, naming the file, the line, the byte offset and what to do", async () => {
  // UTF-8 on line 2, Latin-1 on line 3: either decoding would garble one of them.
  const mixed = await refused("mixed.csv", Buffer.concat([Buffer.from("city,n\nZürich,1\n"), Buffer.from("Malmö,2\n", "latin1")]));
  assert.deepEqual(mixed.details, { file: "mixed.csv", line: 3, offset: 21, utf8_line: 2, not_utf8_line: 3 });
  assert.match(mixed.message, /mixes two encodings/);
  // The other order: Latin-1 first, UTF-8 after.
  const mixed2 = await refused("mixed2.csv", Buffer.concat([Buffer.from("city,n\nMalmö,1\n", "latin1"), Buffer.from("Zürich,2\n")]));
  assert.deepEqual(mixed2.details, { file: "mixed2.csv", line: 3, offset: 16, utf8_line: 3, not_utf8_line: 2 });
  // A UTF-8 byte order mark promises UTF-8.
  const bom = await refused("bom-latin1.csv", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("city,n\nZ\xfcrich,1\n", "latin1")]));
  assert.deepEqual(bom.details, { file: "bom-latin1.csv", line: 2, offset: 11, encoding: "utf-8" });
  // Cyrillic in windows-1251: not UTF-8, and not Western European text either.
  const cyr = await refused(
    "cp1251.csv",
    Buffer.concat([Buffer.from("city,n\n1,1\n"), Buffer.from([0xcc, 0xee, 0xf1, 0xea, 0xe2, 0xe0]), Buffer.from(",2\n")]),
  );
  assert.deepEqual(cyr.details, { file: "cp1251.csv", line: 3, offset: 11 });
  assert.match(cyr.message, /neither UTF-8 nor Western European text.*'Ìîñêâà'/);
  // A byte windows-1252 leaves undefined, inside a quoted field that spans lines.
  const undef = await refused("undefined.csv", Buffer.concat([Buffer.from('city,n\n"a\nb'), Buffer.from([0x81]), Buffer.from('",1\n')]));
  assert.deepEqual(undef.details, { file: "undefined.csv", line: 3, offset: 11 });
  // NUL bytes: a binary file or UTF-16 without a byte order mark.
  const nul = await refused("binary.csv", Buffer.from("PK\x03\x04\x14\x00\x06\x00", "latin1"));
  assert.deepEqual(nul.details, { file: "binary.csv", line: 1, offset: 5 });
  // UTF-16 with an odd byte at the end.
  const odd = await refused("u16odd.csv", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("a,b\r\n1,2\r\n", "utf16le"), Buffer.from([0x41])]));
  assert.equal(odd.details?.encoding, "utf-16le");
});

test("invalidUtf8At finds the first malformed sequence, and agrees with Node's own check on random bytes", () => {
  const at = (bytes: number[]) => invalidUtf8At(Buffer.from(bytes), 0, bytes.length);
  assert.equal(at([0x61, 0xc3, 0xbc, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80]), -1, "a, ü, €, 😀");
  assert.equal(at([0x61, 0xfc, 0x62]), 1, "Latin-1 ü");
  assert.equal(at([0xc0, 0x80]), 0, "overlong NUL");
  assert.equal(at([0xe0, 0x80, 0x80]), 0, "overlong three-byte form");
  assert.equal(at([0xed, 0xa0, 0x80]), 0, "a UTF-16 surrogate");
  assert.equal(at([0xf4, 0x90, 0x80, 0x80]), 0, "above U+10FFFF");
  assert.equal(at([0x61, 0xe2, 0x82]), 1, "cut short by the end");
  assert.equal(at([0x80]), 0, "a lone continuation byte");
  const rnd = makeRandom(5);
  for (let n = 0; n < 5000; n++) {
    const len = 1 + Math.floor(rnd() * 8);
    // Mostly bytes that can build sequences, so valid ones come up often enough to matter.
    const pool = [0x41, 0x80, 0x8f, 0x90, 0xa0, 0xbf, 0xc2, 0xc3, 0xdf, 0xe0, 0xe2, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xc0, 0xff];
    const b = Buffer.from(Array.from({ length: len }, () => pool[Math.floor(rnd() * pool.length)]));
    assert.equal(invalidUtf8At(b, 0, len) < 0, isUtf8(b), b.toString("hex"));
  }
});

test("implausibleWindows1252: Western text passes; whole words in Cyrillic, Chinese or Japanese legacy encodings and undefined bytes do not", () => {
  const check = (b: Buffer) => implausibleWindows1252(b, 0, b.length);
  for (const s of ["Zürich", "São João", "Þjóðólfur", "ÆØÅ æøå", "“…”", "Œuvre – 5 €"]) assert.equal(check(cp1252Bytes(s)), -1, s);
  assert.equal(check(Buffer.from([0x4d, 0xcc, 0xee, 0xf1, 0xea, 0xe2, 0xe0])), 1, "Москва in windows-1251, from its second byte");
  assert.equal(check(Buffer.from([0xb1, 0xb1, 0xbe, 0xa9])), 0, "北京 in GBK");
  assert.equal(check(Buffer.from([0x93, 0x8c, 0x8b, 0x9e])), 0, "東京 in Shift-JIS");
  assert.equal(check(Buffer.from([0x61, 0x8d])), 1, "0x8D is undefined in windows-1252");
});

/** `s` in windows-1252. */
function cp1252Bytes(s: string): Buffer {
  return Buffer.from(Array.from(s, (c) => CP1252.indexOf(c)));
}

test("JSON and NDJSON files that are not UTF-8 are refused naming the line and byte; a UTF-8 BOM is dropped", async () => {
  const latin = (text: string) => Buffer.from(text, "latin1");
  await writeFile(join(tw.dir, "cities.json"), latin(`[\n{"city": "Bern", "n": 1},\n{"city": "Zürich", "n": 2}\n]`));
  const json = err(await runTool("load_dataset", { path: "cities.json" }, ctx));
  assert.equal(json.code, "DATA_ERROR");
  assert.match(json.message, /cities\.json, line 3 \(byte 39\): not UTF-8/);
  assert.match(json.hint ?? "", /UTF-8/);
  // Past the first chunk of a stream (64 KiB), and on a sequence cut by a chunk's end.
  const rows = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ city: i % 2 ? "Zürich" : "Bern", n: i })).join("\n");
  await writeFile(join(tw.dir, "ok.ndjson"), rows + "\n");
  assert.equal(ok(await runTool("load_dataset", { path: "ok.ndjson" }, ctx)).rows, 3000);
  const bad = Buffer.concat([Buffer.from(rows + "\n"), latin(`{"city": "Malmö", "n": 1}\n`)]);
  await writeFile(join(tw.dir, "bad.ndjson"), bad);
  const nd = err(await runTool("load_dataset", { path: "bad.ndjson" }, ctx));
  assert.match(nd.message, new RegExp(`bad\\.ndjson, line 3001 \\(byte ${Buffer.byteLength(rows + "\n") + 14}\\): not UTF-8`));
  await writeFile(join(tw.dir, "bom.json"), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`[{"city": "Zürich"}]`)]));
  const { values } = await load("bom.json", await (await import("node:fs/promises")).readFile(join(tw.dir, "bom.json")));
  assert.deepEqual(values.city, ["Zürich"]);
});
