import { test } from "node:test";
import assert from "node:assert/strict";
import { detectText } from "../../../../src/governance/pii/detectValue.js";
import { columnNameEvidence } from "../../../../src/governance/pii/columnNameEvidence.js";
import { scanDatasetPii } from "../../../../src/governance/pii/scanDatasetPii.js";
import { PERSON, PERSON_SUGGESTED } from "../../../../src/governance/pii/entityBits.js";
import { PII_ENTITIES } from "../../../../src/governance/pii/PiiFinding.js";
import type { Dataset } from "../../../../src/data/Dataset.js";
import { makePiiFixture } from "./piiFixture.js";

const personScore = (name: string) => columnNameEvidence(name).scores[PII_ENTITIES.indexOf("PERSON")];

function table(name: string, values: string[]): Dataset {
  return { rows: values.length, columns: [{ name, type: "string", values, nulls: 0 }] };
}

/** The PERSON finding for one column, or undefined. */
const person = (name: string, values: string[]) => scanDatasetPii(table(name, values)).find((f) => f.entity === "PERSON");

/** `n` values cycling through `xs`. */
const cycle = (xs: readonly string[], n: number) => Array.from({ length: n }, (_, i) => xs[i % xs.length]);

// Names of airports, towns, products and budget lines as public tables hold them, a tenth of
// them after a person or a town named like one (Warren, Charles W. Baker).
const PLACES = [
  "Thigpen",
  "Livingston Municipal",
  "Meadow Lake",
  "Perry-Warsaw",
  "Hilliard Airpark",
  "Tishomingo County",
  "Gragg-Wade",
  "Capital City",
  "Columbiana County",
  "Memorial Field",
  "Kingston upon Thames",
  "Ugashik",
  "Bowman",
  "Gnoss",
  "Kalaupapa",
  "Egegik",
  "Koyuk",
  "Rampart",
  "Hayfork",
  "Cibecue",
  "Tipton",
  "Lampson",
  "Rountree",
  "Shaltz",
  "Barstow-Daggett",
  "Warren",
  "Charles W. Baker",
  "Blairstown",
  "Leesville",
  "Freehold",
  "Forks",
  "Jena",
  "Mercedita",
  "Willow Run",
];
const THINGS = [
  "chevrolet chevelle malibu",
  "buick skylark",
  "plymouth satellite",
  "dirt",
  "grass",
  "AgglomerativeCluster",
  "Salaries and Expenses",
  "Individual Income Taxes",
];

test("values: a place or organisation word is not a person; under a suggestive name a given name or a title must show one", () => {
  for (const s of [
    "Livingston Municipal",
    "Tishomingo County",
    "Meadow Lake",
    "Acme Inc",
    "Globex Corporation",
    "University of Leeds",
    "Salaries and Expenses",
    "St. Louis Downtown",
  ]) {
    assert.equal(detectText(s, PERSON), 0, s);
  }
  for (const s of ["Thigpen", "Perry-Warsaw", "chevrolet chevelle malibu"]) {
    assert.equal(detectText(s, PERSON), PERSON, `${s}: a name's shape, under a name that says person`);
    assert.equal(detectText(s, PERSON | PERSON_SUGGESTED), 0, `${s}: no given name, under a name that only suggests person`);
  }
  for (const s of ["Jane Doe", "José García", "Smith, John", "Søren Kierkegaard", "Zoë", "Mr. Lee", "ZHANG WEI", "jean-luc picard"]) {
    assert.equal(detectText(s, PERSON | PERSON_SUGGESTED), PERSON, s);
  }
});

test("column names: account, user, display and legal names are only suggestive; an account holder's name is a person's", () => {
  assert.equal(personScore("name"), 0.6);
  assert.equal(personScore("Account name"), 0.6);
  assert.equal(personScore("user_name"), 0.6);
  assert.equal(personScore("legalName"), 0.6);
  assert.equal(personScore("display_name"), 0.6);
  assert.equal(personScore("account_holder_name"), 1);
  assert.equal(personScore("customer_name"), 1);
  assert.equal(personScore("Candidate_Name"), 1);
});

test("a column called `name` holding people's names is PERSON; one holding places, products or budget lines is not", () => {
  const { ds } = makePiiFixture(500, 3);
  const fullNames = (ds.columns.find((c) => c.name === "full_name")!.values as (string | null)[]).filter((v): v is string => v !== null);
  const people = person("name", fullNames);
  assert.ok(people, "people's names under `name` are found");
  assert.equal(people.evidence, "name+value");
  assert.ok(people.confidence >= 0.5, `confidence ${people.confidence}`);
  assert.equal(person("name", cycle(PLACES, 340)), undefined, "airports and towns, a tenth of them after people");
  assert.equal(person("name", cycle(THINGS, 400)), undefined);
  assert.equal(person("Account name", cycle(THINGS, 400)), undefined);
});

test("under a name that says person, plausible values are still enough (lower-case, unlisted names), but companies are not", () => {
  const f = person("full_name", cycle(["ngozi okonjo", "thandiwe mbeki", "aarav sharma", "kai müller"], 200));
  assert.ok(f && f.confidence >= 0.85, JSON.stringify(f));
  assert.equal(person("customer_name", cycle(["Acme Inc", "Globex Corporation", "Initech LLC", "Umbrella Holdings"], 200)), undefined);
});
