import { PII_ENTITIES, type PiiEntity } from "./PiiFinding.js";

/**
 * One bit per entity, in PII_ENTITIES order, so a detector returns every entity a value matches
 * as one small integer and the scanner counts them without allocating.
 */
export const EMAIL = 1 << 0;
export const PHONE = 1 << 1;
export const CARD = 1 << 2;
export const IBAN = 1 << 3;
export const SSN = 1 << 4;
export const IP = 1 << 5;
export const MAC = 1 << 6;
export const DOB = 1 << 7;
export const ADDRESS = 1 << 8;
export const PERSON = 1 << 9;
/**
 * Not an entity: an IPv4 value whose octets are all ≤ 31, as version strings are ("1.2.0.4").
 * Set instead of IP unless the column's name says IP; the column scan decides what they are.
 */
export const IP_SMALL = 1 << PII_ENTITIES.length;
/**
 * Not an entity: set in a column's context (never in a result) when its name only suggests a
 * person (`name`, `user_name`, `account_name`). A value shaped like a name then counts only when
 * a word of it is a given name or a title: "Livingston Municipal" and "chevrolet chevelle malibu"
 * have the shape of a name but nothing of a person.
 */
export const PERSON_SUGGESTED = 1 << (PII_ENTITIES.length + 1);

export const ENTITY_COUNT = PII_ENTITIES.length;

export function entityBit(entity: PiiEntity): number {
  return 1 << PII_ENTITIES.indexOf(entity);
}
