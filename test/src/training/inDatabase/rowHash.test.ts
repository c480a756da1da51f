import { test } from "node:test";
import assert from "node:assert/strict";
import { rowHashSql } from "../../../../src/training/inDatabase/rowHashSql.js";
import { rowHashesFor } from "../../../../src/training/inDatabase/rowHashesFor.js";
import { recordedRowHash } from "../../../../src/training/inDatabase/recordedRowHash.js";
import { isDwError } from "../../../../src/errors/DwError.js";
import type { SqlColumn } from "../../../../src/data/sql/columnKinds.js";

const cols: SqlColumn[] = [
  { name: "x", kind: "number" },
  { name: "note", kind: "string" },
];

test("PostgreSQL 14+ hashes rows with hash_record_extended, 11-13 with hashtextextended, older with neither", () => {
  assert.deepEqual(rowHashesFor("postgres", 160004), ["hash_record_extended", "hashtextextended"]);
  assert.deepEqual(rowHashesFor("postgres", 140000), ["hash_record_extended", "hashtextextended"]);
  assert.deepEqual(rowHashesFor("postgres", 130012), ["hashtextextended"]);
  assert.deepEqual(rowHashesFor("postgres", 110000), ["hashtextextended"]);
  assert.deepEqual(rowHashesFor("postgres", 100023), []);
  assert.deepEqual(rowHashesFor("duckdb", 0), ["hash"]);
});

test("the legacy hash is the expression dw generated before hash_record_extended, word for word", () => {
  assert.equal(rowHashSql("postgres", cols, 7, "hashtextextended"), `(hashtextextended(CAST(ROW("x", "note") AS TEXT), 7) & 9223372036854775807)`);
  assert.equal(rowHashSql("postgres", cols, 7), `(hash_record_extended(ROW("x", CAST("note" AS TEXT)), 7) & 9223372036854775807)`);
  assert.throws(
    () => rowHashSql("duckdb", cols, 7, "hashtextextended"),
    (e: unknown) => isDwError(e) && e.code === "INVALID_INPUT",
  );
});

test("a recorded split's hash is recognised from its SQL when the record does not name it, and an unknown one is refused", () => {
  const legacy = rowHashSql("postgres", cols, 3, "hashtextextended");
  assert.equal(recordedRowHash("postgres", cols, 3, { run: "run r1", hash: legacy }), "hashtextextended");
  assert.equal(recordedRowHash("postgres", cols, 3, { run: "run r1", hash: rowHashSql("postgres", cols, 3) }), "hash_record_extended");
  assert.equal(recordedRowHash("duckdb", cols, 3, { run: "run r1", hash: rowHashSql("duckdb", cols, 3) }), "hash");
  // A named function wins over the text (the text is only recognised, never run).
  assert.equal(recordedRowHash("postgres", cols, 3, { run: "run r1", hash: legacy, row_hash: "hashtextextended" }), "hashtextextended");
  // Another seed, or columns the source no longer has, is not the same definition.
  assert.throws(
    () => recordedRowHash("postgres", cols, 4, { run: "run r1", hash: legacy }),
    (e: unknown) => isDwError(e) && /run r1/.test(e.message) && /hashtextextended/.test(e.message) && /hash_record_extended/.test(e.message) && !!e.hint,
  );
});
