/**
 * What the PII scanner reports, per column. The contract between the scanner
 * (src/governance/pii/scanDatasetPii.ts) and its users: the scan_pii tool, check_policy and the
 * governance gate before training.
 */
export const PII_ENTITIES = [
  "EMAIL_ADDRESS",
  "PHONE_NUMBER",
  "CREDIT_CARD",
  "IBAN_CODE",
  "US_SSN",
  "IP_ADDRESS",
  "MAC_ADDRESS",
  "DATE_OF_BIRTH",
  "POSTAL_ADDRESS",
  "PERSON",
] as const;
export type PiiEntity = (typeof PII_ENTITIES)[number];

export interface PiiFinding {
  column: string;
  entity: PiiEntity;
  /** Share of the sampled non-missing values that match the entity (after checksums and context). */
  share: number;
  /** 0–1: how sure the scanner is that the column holds this entity. */
  confidence: number;
  /** What decided: the column's name, its values, or both. */
  evidence: "name" | "value" | "name+value";
  /** Values looked at (a sample for large columns) and how many matched. */
  sampled: number;
  matched: number;
  /** Up to three matching values, masked (e.g. j***@e***.com), so a report never leaks them. */
  examples: string[];
}
