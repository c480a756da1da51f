const LF = 0x0a;
const CR = 0x0d;
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

/**
 * One CSV record of plain decimals, parsed in the same pass that finds its delimiters, written to
 * `columns[j][row]`: the position after its line end, or -1 when any field is not such a decimal
 * (empty, quoted, spaced, text, more than 15 significant digits, a power of ten beyond 22) or the
 * record has a field too many or too few. Then the record is left to the general path
 * (CsvScanner + ColumnBuilder), which overwrites whatever this wrote in the row. The numbers are
 * exactly CsvRecord.number's (parseDecimal in csvScanner.ts): the same significant digits make
 * the same m·10^e, so both paths give the same bits.
 *
 * The caller makes sure an LF follows `pos` in `buf`: every field stops at the first byte that
 * is not part of a number, so nothing past that LF is read, and no byte needs a bounds check.
 */
export function parseNumericRow(buf: Uint8Array, pos: number, d: number, columns: Float64Array[], row: number): number {
  const k = columns.length;
  let i = pos;
  for (let j = 0; j < k; j++) {
    let c = buf[i];
    let neg = false;
    if (c === 45 || c === 43) {
      neg = c === 45;
      c = buf[++i];
    }
    const first = i;
    // Leading zeros are no significant digits.
    while (c === 48) c = buf[++i];
    let m = 0;
    let sig = 0;
    while (c >= 48 && c <= 57) {
      m = m * 10 + (c - 48);
      sig++;
      c = buf[++i];
    }
    let digits = i - first;
    let frac = 0;
    if (c === 46) {
      c = buf[++i];
      const zeros = i;
      // Nor are the zeros after the point of a number below 1 (0.000123).
      if (m === 0) while (c === 48) c = buf[++i];
      const from = i;
      while (c >= 48 && c <= 57) {
        m = m * 10 + (c - 48);
        c = buf[++i];
      }
      sig += i - from;
      frac = i - zeros;
      digits += frac;
    }
    if (digits === 0 || sig > 15) return -1;
    let exp = 0;
    if (c === 101 || c === 69) {
      c = buf[++i];
      let eneg = false;
      if (c === 45 || c === 43) {
        eneg = c === 45;
        c = buf[++i];
      }
      const from = i;
      while (c >= 48 && c <= 57) {
        if (exp > 1000) return -1;
        exp = exp * 10 + (c - 48);
        c = buf[++i];
      }
      if (i === from) return -1;
      if (eneg) exp = -exp;
    }
    const e10 = exp - frac;
    let v: number;
    if (m === 0) v = 0;
    else if (e10 >= 0 && e10 <= 22) v = m * POW10[e10];
    else if (e10 < 0 && e10 >= -22) v = m / POW10[-e10];
    else return -1;
    columns[j][row] = neg ? -v : v;
    // The field ends here: at the delimiter, or (last field) at the line end.
    if (j < k - 1) {
      if (c !== d) return -1;
      i++;
    } else if (c === LF) return i + 1;
    else if (c === CR && buf[i + 1] === LF) return i + 2;
    else return -1;
  }
  return -1;
}
