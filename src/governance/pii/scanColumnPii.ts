import type { Column } from "../../data/Dataset.js";
import { PII_ENTITIES, type PiiEntity, type PiiFinding } from "./PiiFinding.js";
import { columnNameEvidence } from "./columnNameEvidence.js";
import { detectNumber, detectText } from "./detectValue.js";
import { ENTITY_COUNT, PERSON_SUGGESTED } from "./entityBits.js";
import { maskExample } from "./maskExample.js";
import { sampleRows } from "./sampleRows.js";

export interface ScanColumnOptions {
  sampleSize: number;
  seed: number;
}

export interface ColumnScan {
  column: string;
  /** Non-missing values looked at. */
  sampled: number;
  findings: PiiFinding[];
}

/** How sure a match of the value rules alone makes us, per entity (checksums highest; context-only entities lowest). */
const VALUE_STRENGTH: Record<PiiEntity, number> = {
  EMAIL_ADDRESS: 0.95,
  PHONE_NUMBER: 0.8,
  CREDIT_CARD: 0.97,
  IBAN_CODE: 0.98,
  US_SSN: 0.85,
  IP_ADDRESS: 0.85,
  MAC_ADDRESS: 0.9,
  DATE_OF_BIRTH: 0.6,
  POSTAL_ADDRESS: 0.6,
  PERSON: 0.6,
};

/**
 * Share of matching values needed when the name says nothing. Random 16-digit numbers with a card
 * prefix pass Luhn one time in ten, so cards need three times that. Dates, names and addresses
 * are never reported on their values alone.
 */
const VALUE_ONLY_MIN_SHARE: Record<PiiEntity, number> = {
  EMAIL_ADDRESS: 0.2,
  PHONE_NUMBER: 0.2,
  CREDIT_CARD: 0.3,
  IBAN_CODE: 0.2,
  US_SSN: 0.2,
  IP_ADDRESS: 0.2,
  MAC_ADDRESS: 0.2,
  DATE_OF_BIRTH: Infinity,
  POSTAL_ADDRESS: Infinity,
  PERSON: Infinity,
};

/** With a name that speaks of the entity, this share of matching values confirms it. */
const NAME_MIN_SHARE = 0.05;
/**
 * Under a name that only suggests persons (`name`), values count only with a given name in them
 * (PERSON_SUGGESTED), and a fifth of them must have one: towns and airports are often called
 * after people (Warren, Charles W. Baker), but in a column of people's names most values hold one.
 */
const SUGGESTED_PERSON_MIN_SHARE = 0.2;
/** Below this many values the values cannot contradict the name, so the name decides alone. */
const MIN_VALUES_TO_JUDGE = 20;
/** Name evidence alone is worth at most this confidence. */
const NAME_WEIGHT = 0.7;
/** At this share of matches the value evidence counts in full. */
const FULL_SHARE = 0.5;
const MAX_EXAMPLES = 3;

/** Entities a number column can hold once its formatting is gone. */
const NUMERIC_ENTITIES: ReadonlySet<PiiEntity> = new Set(["PHONE_NUMBER", "CREDIT_CARD", "US_SSN", "DATE_OF_BIRTH"]);

/** Scans one column (a sample of it when large) by name and values; see docs/pii.md for the rules. */
export function scanColumnPii(col: Column, options: ScanColumnOptions): ColumnScan {
  const name = columnNameEvidence(col.name);
  if (col.type === "boolean") return { column: col.name, sampled: 0, findings: [] };
  const rows = sampleRows(col, options.sampleSize, options.seed);
  const personScore = name.scores[PII_ENTITIES.indexOf("PERSON")];
  const context = personScore > 0 && personScore < 1 ? name.mask | PERSON_SUGGESTED : name.mask;
  // One counter and example list per bit, IP_SMALL included (it is the bit after the entities).
  const counts = new Int32Array(ENTITY_COUNT + 1);
  const examples: string[][] = Array.from({ length: ENTITY_COUNT + 1 }, () => []);
  const record = (found: number, value: string | number) => {
    for (let bits = found; bits !== 0; bits &= bits - 1) {
      const e = 31 - Math.clz32(bits & -bits);
      counts[e]++;
      const ex = examples[e];
      if (ex.length < MAX_EXAMPLES) {
        const text = String(value);
        if (!ex.includes(text)) ex.push(text);
      }
    }
  };
  // Separate loops per column type keep each one monomorphic (typed array or array of strings).
  if (col.type === "number") {
    const values = col.values;
    for (let r = 0; r < rows.length; r++) {
      const v = values[rows[r]];
      const found = detectNumber(v, context);
      if (found !== 0) record(found, v);
    }
  } else {
    const values = col.values;
    for (let r = 0; r < rows.length; r++) {
      const v = values[rows[r]] as string;
      const found = detectText(v, context);
      if (found !== 0) record(found, v);
    }
  }
  const sampled = rows.length;
  // Dotted quads of small numbers are version strings when nearly all of a column's are; in a
  // column of addresses they are addresses like the rest.
  const ipIndex = PII_ENTITIES.indexOf("IP_ADDRESS");
  const ipSmall = counts[ENTITY_COUNT];
  if (ipSmall > 0 && ipSmall <= 0.9 * (ipSmall + counts[ipIndex])) {
    counts[ipIndex] += ipSmall;
    for (const x of examples[ENTITY_COUNT]) if (examples[ipIndex].length < MAX_EXAMPLES) examples[ipIndex].push(x);
  }
  const findings: PiiFinding[] = [];
  PII_ENTITIES.forEach((entity, e) => {
    const matched = counts[e];
    const share = sampled === 0 ? 0 : matched / sampled;
    const nameScore = name.scores[e];
    if (col.type === "number" && !NUMERIC_ENTITIES.has(entity)) return;
    let evidence: PiiFinding["evidence"];
    const nameMinShare = entity === "PERSON" && context & PERSON_SUGGESTED ? SUGGESTED_PERSON_MIN_SHARE : NAME_MIN_SHARE;
    if (nameScore > 0 && matched > 0 && share >= nameMinShare) evidence = "name+value";
    else if (share >= VALUE_ONLY_MIN_SHARE[entity]) evidence = "value";
    else if (nameScore > 0 && sampled < MIN_VALUES_TO_JUDGE) evidence = "name";
    else return;
    const v = evidence === "name" ? 0 : VALUE_STRENGTH[entity] * Math.min(1, share / FULL_SHARE);
    const n = evidence === "value" ? 0 : NAME_WEIGHT * nameScore;
    findings.push({
      column: col.name,
      entity,
      share: round(share),
      confidence: round(1 - (1 - v) * (1 - n)),
      evidence,
      sampled,
      matched,
      examples: examples[e].map((x) => maskExample(entity, x)),
    });
  });
  findings.sort((x, y) => y.confidence - x.confidence);
  return { column: col.name, sampled, findings };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
