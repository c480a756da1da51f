import { z } from "zod";
import { PII_ENTITIES, type PiiFinding } from "./PiiFinding.js";

/** The zod form of PiiFinding, for tool outputs that carry findings (scan_pii, check_policy, gate reports). */
export const PiiFindingSchema = z.object({
  column: z.string().describe("The column the finding is about."),
  entity: z.enum(PII_ENTITIES).describe("The kind of personal data."),
  share: z.number().min(0).max(1).describe("Share of the sampled non-missing values that match (after checksums and context)."),
  confidence: z.number().min(0).max(1).describe("0–1: how sure the scanner is that the column holds this entity (see docs/pii.md)."),
  evidence: z.enum(["name", "value", "name+value"]).describe("What decided: the column's name, its values, or both."),
  sampled: z.number().int().min(0).describe("Non-missing values looked at (a sample for large columns)."),
  matched: z.number().int().min(0).describe("How many of them matched."),
  examples: z.array(z.string()).max(3).describe("Up to three matching values, masked so a report never leaks them."),
});

// Keeps the schema and the committed contract in step: this line stops compiling if they drift.
const _sameShape: z.infer<typeof PiiFindingSchema> extends PiiFinding ? (PiiFinding extends z.infer<typeof PiiFindingSchema> ? true : never) : never = true;
void _sameShape;
