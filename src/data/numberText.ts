/**
 * dw's one rule for text that is a decimal number: an optional sign, digits with an optional
 * fraction (or a fraction alone), an optional exponent. No hexadecimal, binary or octal, no
 * "Infinity" or "NaN", no thousands separators: what Python's float() reads of a decimal, and what
 * a data file means by a number. The CSV loader, the profilers, the SQL profilers and the
 * serving casts all use it, so "is this a number" has one answer everywhere.
 */
const BODY = "[+-]?(?:[0-9]+[.]?[0-9]*|[.][0-9]+)(?:[eE][+-]?[0-9]+)?";

/** Text, already trimmed, that is a decimal number. */
export const NUMBER_TEXT = new RegExp(`^${BODY}$`);

/** The same number with spaces around it allowed, as Python's float() reads a cell MLflow casts to double. */
export const PADDED_NUMBER_TEXT = new RegExp(`^\\s*${BODY}\\s*$`);

/** The rule as a regular-expression source for SQL engines (DuckDB's RE2, PostgreSQL's `~`): bracket classes only, no backslashes. */
export const NUMBER_TEXT_SQL_PATTERN = `^${BODY}$`;
