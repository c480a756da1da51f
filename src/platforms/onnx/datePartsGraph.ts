import type { GraphBuilder } from "./GraphBuilder.js";

const DAY_MS = 86_400_000;

/**
 * A date step's columns, [N, parts] doubles, from a date given as milliseconds since 1970-01-01
 * UTC (what Date.parse gives dw for the text; NaN missing): year, month (1–12), day (1–31), day of
 * week (0 = Monday), day of year (1–366) in UTC, as dw's dateParts, each missing value taking its
 * imputed part. The calendar is integer arithmetic on doubles (days since the epoch, then the
 * proleptic Gregorian calendar by eras of 400 years): every intermediate value is a whole number
 * far below 2^53 and every floor of a quotient is exact, so the parts are dw's exactly. dw writes
 * the k-th of those five numbers as the step's k-th column, which this follows.
 */
export function datePartsGraph(b: GraphBuilder, t: string, parts: number, impute: readonly number[], column: string): string {
  const c = (v: number) => b.constant("c", "double", [], [v]);
  const op = (type: string, inputs: string[], hint: string) => b.node(type, inputs, { hint: `${column}.${hint}` });
  const add = (x: string, y: string, hint = "sum") => op("Add", [x, y], hint);
  const sub = (x: string, y: string, hint = "difference") => op("Sub", [x, y], hint);
  const mul = (x: string, k: number) => op("Mul", [x, c(k)], "product");
  /** floor(x / k), exact for the whole numbers here. */
  const fdiv = (x: string, k: number, hint = "quotient") => op("Floor", [op("Div", [x, c(k)], hint)], hint);

  const days = fdiv(t, DAY_MS, "days");
  // civil_from_days: days since 1970-01-01 to year, month, day (the year starting in March).
  const z = add(days, c(719_468), "days_from_0000_03_01");
  const era = fdiv(z, 146_097, "era");
  const doe = sub(z, mul(era, 146_097), "day_of_era");
  const yoe = fdiv(sub(add(sub(doe, fdiv(doe, 1460)), fdiv(doe, 36_524)), fdiv(doe, 146_096)), 365, "year_of_era");
  const yearFromMarch = add(yoe, mul(era, 400), "year_from_march");
  const doyFromMarch = sub(doe, sub(add(mul(yoe, 365), fdiv(yoe, 4)), fdiv(yoe, 100)), "day_from_march");
  const mp = fdiv(add(mul(doyFromMarch, 5), c(2)), 153, "month_from_march");
  const day = add(sub(doyFromMarch, fdiv(add(mul(mp, 153), c(2)), 5)), c(1), "day");
  // March..December are mp 0..9 (months 3..12), January and February mp 10..11 (months 1..2 of the next year).
  const janOrFeb = b.node("Cast", [op("GreaterOrEqual", [mp, c(10)], "jan_or_feb")], {
    hint: `${column}.jan_or_feb_01`,
    attributes: [{ name: "to", kind: "int", value: 11 }],
  });
  const month = sub(add(mp, c(3)), mul(janOrFeb, 12), "month");
  const year = add(yearFromMarch, janOrFeb, "year");
  // Monday = 0: 1970-01-01 was a Thursday (3).
  const shifted = add(days, c(3));
  const weekday = sub(shifted, mul(fdiv(shifted, 7), 7), "day_of_week");
  // Day of year: days since this year's January 1st (days_from_civil(year, 1, 1)), plus one.
  const y = sub(year, c(1), "year_before");
  const era1 = fdiv(y, 400, "jan1_era");
  const yoe1 = sub(y, mul(era1, 400), "jan1_year_of_era");
  const doe1 = add(sub(add(mul(yoe1, 365), fdiv(yoe1, 4)), fdiv(yoe1, 100)), c(306), "jan1_day_of_era");
  const jan1 = sub(add(mul(era1, 146_097), doe1), c(719_468), "jan1");
  const dayOfYear = add(sub(days, jan1), c(1), "day_of_year");

  const missing = op("IsNaN", [t], "missing");
  const axis = b.constant("axis1", "int64", [1], [1]);
  const columns = [year, month, day, weekday, dayOfYear].slice(0, parts).map((part, k) => {
    const filled = b.node("Where", [missing, c(impute[k]), part], { hint: `${column}.part${k}` });
    return b.node("Unsqueeze", [filled, axis], { hint: `${column}.part${k}.column` });
  });
  return b.node("Concat", columns, { hint: `${column}.parts`, attributes: [{ name: "axis", kind: "int", value: 1 }] });
}
