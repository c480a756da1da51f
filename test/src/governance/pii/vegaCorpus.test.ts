import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { extname, join } from "node:path";
import { repoRoot } from "../../../helpers/tempWorkspace.js";
import { formatOfPath, readDataFile } from "../../../../src/data/readDataFile.js";
import { scanDatasetPii } from "../../../../src/governance/pii/scanDatasetPii.js";
import { GovernancePolicy } from "../../../../src/governance/policy/GovernancePolicy.js";
import { DwError } from "../../../../src/errors/DwError.js";
import type { PiiFinding } from "../../../../src/governance/pii/PiiFinding.js";

/**
 * A corpus of real, public, PII-free tables: every CSV, TSV and JSON file of the vega-datasets
 * package (airports, cars, weather, stocks, flights, movies, penguins, zip codes…). Scanned as the
 * training gate scans (scanDatasetPii with its defaults, after reading the file as load_dataset
 * does), none may give a finding the default policy counts. Names of places, products, budget
 * accounts and classes must not pass for persons' names.
 */
const DIR = join(repoRoot, "node_modules", "vega-datasets", "data");
const MIN_CONFIDENCE = GovernancePolicy.parse({}).training.min_confidence;

/** Files that hold people's names: left out of the corpus, and the scan must find them (so the rule that clears the rest still finds persons). */
const PERSON_DATA: Record<string, { reason: string; columns: string[] }> = {
  "la-riots.csv": { reason: "names and death addresses of the people killed in the 1992 Los Angeles riots", columns: ["first_name", "last_name"] },
  "political-contributions.json": { reason: "names of candidates for the US House in FEC filings", columns: ["Candidate_Name"] },
  "lookup_people.csv": { reason: "a lookup example of people: first names (Alan, George, Fred) with age and height", columns: ["name"] },
  "monarchs.json": { reason: "names of English monarchs (Elizabeth, James I, Charles II)", columns: ["name"] },
};

/** JSON files that are not tables (load_dataset refuses them): left out, and checked to be refused, so one that starts loading joins the corpus. */
const NOT_TABLES: Record<string, string> = {
  "annual-precip.json": "a raster grid (GeoJSON-like object)",
  "earthquakes.json": "a GeoJSON FeatureCollection",
  "londonBoroughs.json": "TopoJSON boundaries",
  "londonTubeLines.json": "TopoJSON lines",
  "miserables.json": "a graph of nodes and links (arrays of different lengths)",
  "us-10m.json": "TopoJSON boundaries",
  "volcano.json": "a raster grid",
  "world-110m.json": "TopoJSON boundaries",
};

const files = readdirSync(DIR)
  .filter((f) => [".csv", ".tsv", ".json"].includes(extname(f)))
  .sort();

async function read(f: string) {
  return readDataFile(join(DIR, f), f, formatOfPath(f));
}

const show = (fs: PiiFinding[]) => fs.map((x) => `${x.column}: ${x.entity} ${x.confidence} (${x.evidence}, ${x.matched}/${x.sampled})`).join("; ");

test("the PII-free vega-datasets tables give no finding at or above the default min_confidence", async () => {
  const started = Date.now();
  const flagged: string[] = [];
  let scanned = 0;
  let values = 0;
  for (const f of files) {
    if (f in PERSON_DATA || f in NOT_TABLES) continue;
    const ds = await read(f);
    const findings = scanDatasetPii(ds).filter((x) => x.confidence >= MIN_CONFIDENCE);
    if (findings.length > 0) flagged.push(`${f}: ${show(findings)}`);
    scanned++;
    values += ds.rows * ds.columns.length;
  }
  console.log(`${scanned} files, ${values.toLocaleString("en-US")} cells, ${Date.now() - started} ms`);
  assert.ok(scanned >= 50, `only ${scanned} files were scanned: is vega-datasets installed?`);
  assert.deepEqual(flagged, []);
});

test("airports.csv: airport names in a column called `name` are not persons, at any confidence", async () => {
  const ds = await read("airports.csv");
  assert.ok(ds.rows > 3000);
  assert.deepEqual(scanDatasetPii(ds, { columns: ["name", "city"] }), []);
});

test("the files left out for holding people's names are found to hold them", async () => {
  for (const [f, { reason, columns }] of Object.entries(PERSON_DATA)) {
    const findings = scanDatasetPii(await read(f), { columns }).filter((x) => x.entity === "PERSON" && x.confidence >= MIN_CONFIDENCE);
    assert.deepEqual(
      findings.map((x) => x.column),
      columns,
      `${f} (${reason}): ${show(findings)}`,
    );
  }
});

test("the JSON files left out as not tables are refused by the reader load_dataset uses", async () => {
  for (const [f, what] of Object.entries(NOT_TABLES)) {
    assert.ok(files.includes(f), `${f} is no longer in vega-datasets: drop it from NOT_TABLES`);
    await assert.rejects(
      read(f),
      (e: unknown) => e instanceof DwError && (e.code === "DATA_ERROR" || e.code === "INVALID_INPUT"),
      `${f} (${what}) now loads: scan it with the rest`,
    );
  }
});
