const LF = 0x0a;
const CR = 0x0d;
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

/**
 * One CSV record of plain decimals, parsed in the same pass that finds its delimiters, written to
 * `columns[j][row]`: the position after its line end, or -1 when any field is not such a decimal
 * (empty, quoted, spaced, text, more than 15 significant digits, a power of ten beyond 22), has
 * a field too many or too few, or the line does not end in `buf[0, n)`. Then the record is left
 * to the general path (CsvScanner + ColumnBuilder), which overwrites whatever this wrote in the
 * row. The numbers are exactly CsvRecord.number's (see parseDecimal in csvScanner.ts): the same
 * digits make the same m·10^e, so both paths give the same bits.
 */
export function parseNumericRow(buf: Uint8Array, pos: number, n: number, d: number, columns: Float64Array[], row: number): number {
  const k = columns.length;
  let i = pos;
  for (let j = 0; j < k; j++) {
    let neg = false;
    let c = i < n ? buf[i] : -1;
    if (c === 45 || c === 43) {
      neg = c === 45;
      c = ++i < n ? buf[i] : -1;
    }
    let m = 0;
    let digits = 0;
    let sig = 0;
    let frac = 0;
    let dot = false;
    for (;;) {
      if (c >= 48 && c <= 57) {
        digits++;
        if (dot) frac++;
        if (m !== 0 || c !== 48) {
          m = m * 10 + (c - 48);
          if (++sig > 15) return -1;
        }
      } else if (c === 46 && !dot) dot = true;
      else break;
      c = ++i < n ? buf[i] : -1;
    }
    if (digits === 0) return -1;
    let exp = 0;
    if (c === 101 || c === 69) {
      c = ++i < n ? buf[i] : -1;
      let eneg = false;
      if (c === 45 || c === 43) {
        eneg = c === 45;
        c = ++i < n ? buf[i] : -1;
      }
      let edigits = 0;
      while (c >= 48 && c <= 57) {
        if (exp > 1000) return -1;
        exp = exp * 10 + (c - 48);
        edigits++;
        c = ++i < n ? buf[i] : -1;
      }
      if (edigits === 0) return -1;
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
    else if (c === CR && i + 1 < n && buf[i + 1] === LF) return i + 2;
    else return -1;
  }
  return -1;
}
