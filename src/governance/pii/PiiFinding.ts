import { z } from "zod";

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

/** One finding: a column that holds an entity, with the evidence. Its type is the schema's. */
export const PiiFinding = z.object({
  column: z.string().describe("The column the finding is about."),
  entity: z.enum(PII_ENTITIES).describe("The kind of personal data."),
  share: z.number().min(0).max(1).describe("Share of the sampled non-missing values that match (after checksums and context)."),
  confidence: z.number().min(0).max(1).describe("0–1: how sure the scanner is that the column holds this entity (see docs/pii.md)."),
  evidence: z.enum(["name", "value", "name+value"]).describe("What decided: the column's name, its values, or both."),
  sampled: z.number().int().min(0).describe("Non-missing values looked at (a sample for large columns)."),
  matched: z.number().int().min(0).describe("How many of them matched."),
  examples: z.array(z.string()).max(3).describe("Up to three matching values, masked so a report never leaks them."),
});
export type PiiFinding = z.infer<typeof PiiFinding>;
