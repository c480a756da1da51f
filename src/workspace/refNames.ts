import { DwError } from "../errors/DwError.js";

/**
 * What may become part of a git ref or a record id, written once. Every name dw puts in a ref
 * (refs/dw/<kind>/<name>/…) passes isRefPart, the rule git and dw share; each kind of name adds
 * its own pattern: which first character, and how long. The workspace checks every ref it writes
 * with isRefPart; the tools and the server check a name by its kind before any ref is read.
 */

/**
 * One part of a ref dw writes: a letter or digit, then letters, digits, '.', '_', '@' and '-';
 * never '..', '@{' or a trailing '.lock' (which git refuses or reads as something else).
 *
 * @example
 * isRefPart("churn"); // true
 * isRefPart("a..b"); // false
 */
export function isRefPart(part: string): boolean {
  return REF_PART.test(part) && !part.endsWith(".lock") && !part.includes("..") && !part.includes("@{");
}

const REF_PART = /^[A-Za-z0-9][A-Za-z0-9._@-]*$/;

/** A name of letters, digits, '.', '_' and '-' that starts with `first` and has at most `max` characters. */
function namePattern(first: "a letter" | "a letter or digit", max: number): RegExp {
  return new RegExp(`^[${first === "a letter" ? "A-Za-z" : "A-Za-z0-9"}][A-Za-z0-9._-]{0,${max - 1}}$`);
}

/** Model names; experiment and pipeline names follow the same rule. With isRefPart: isModelName. */
export const MODEL_NAME = namePattern("a letter or digit", 100);
/** Aliases start with a letter, so that an alias never looks like a version number. With isRefPart: isAlias. */
export const ALIAS_NAME = namePattern("a letter", 64);
/** Dataset ids, the name of a file under .dw/datasets (not a ref, so the pattern alone). */
export const DATASET_ID = namePattern("a letter or digit", 128);

/** What a valid model name is, in words, for errors. */
export const MODEL_NAME_RULE = "letters, digits, '.', '_' and '-', starting with a letter or digit, at most 100 characters, without '..' or a trailing '.lock'";
/** What a valid alias is, in words, for errors. */
export const ALIAS_RULE =
  "letters, digits, '.', '_' and '-', starting with a letter (so it never looks like a version number), at most 64 characters, without '..' or a trailing '.lock'";

/** The rule for model, experiment and pipeline names, used by the tools and by the server before any ref is read. */
export function isModelName(name: string): boolean {
  return MODEL_NAME.test(name) && isRefPart(name);
}

/** The rule for aliases, used by the tools and by the server before any ref is read. */
export function isAlias(alias: string): boolean {
  return ALIAS_NAME.test(alias) && isRefPart(alias);
}

/**
 * Throws INVALID_INPUT naming `field` unless `name` is a valid `noun` by `valid`; a very long name
 * is cut in the message.
 *
 * @example
 * checkName("a..b", isModelName, "experiment name", `Use ${MODEL_NAME_RULE}.`, "name"); // throws: 'a..b' is not a valid experiment name.
 */
export function checkName(name: string, valid: (name: string) => boolean, noun: string, hint: string, field: string): void {
  if (!valid(name)) {
    throw new DwError("INVALID_INPUT", `'${name.length > 120 ? name.slice(0, 100) + "…" : name}' is not a valid ${noun}.`, {
      hint,
      details: { field },
    });
  }
}

/** Throws INVALID_INPUT naming `field` unless `name` is a valid model name. */
export function checkModelName(name: string, field = "model_name"): void {
  checkName(name, isModelName, "model name", `Use ${MODEL_NAME_RULE}.`, field);
}

/** Throws INVALID_INPUT naming `field` unless `alias` is a valid alias. */
export function checkAlias(alias: string, field = "alias"): void {
  checkName(alias, isAlias, "alias", `An alias has ${ALIAS_RULE}, e.g. production, staging, champion.`, field);
}

/**
 * `text` made into a name of letters, digits, '.', '_' and '-' that starts with a letter or digit,
 * at most `max` characters: every run of other characters becomes '-' and what leads is dropped.
 * Empty when nothing of it is left; the caller picks a fallback.
 *
 * @example
 * nameFrom("  daily sales (2024).csv", 100); // "daily-sales-2024-.csv"
 */
export function nameFrom(text: string, max: number): string {
  return text
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/^[^A-Za-z0-9]+/, "")
    .slice(0, max);
}
