/** `"name"`, with embedded quotes doubled: safe for any column or table name, in DuckDB and PostgreSQL. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** `'text'`, with embedded quotes doubled (standard_conforming_strings, the default in both engines). */
export function quoteLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/**
 * The user's query without the semicolons (and comments) after its last statement, so it can be
 * wrapped in a subquery or a cursor. Strings, quoted names, comments and PostgreSQL dollar quotes
 * are skipped while looking, so a ';' inside them is left alone.
 */
export function trimQuery(query: string): string {
  let lastCode = -1;
  for (let i = 0; i < query.length; ) {
    const c = query[i];
    const next = query[i + 1];
    if (c === "-" && next === "-") {
      const nl = query.indexOf("\n", i);
      i = nl < 0 ? query.length : nl;
    } else if (c === "/" && next === "*") {
      const end = query.indexOf("*/", i + 2);
      i = end < 0 ? query.length : end + 2;
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < query.length && !(query[j] === c && query[j + 1] !== c)) j += query[j] === c ? 2 : 1;
      lastCode = Math.min(j, query.length - 1);
      i = j + 1;
    } else if (c === "$" && /^\$[A-Za-z_]?[A-Za-z0-9_]*\$/.test(query.slice(i))) {
      const tag = /^\$[A-Za-z_]?[A-Za-z0-9_]*\$/.exec(query.slice(i))![0];
      const end = query.indexOf(tag, i + tag.length);
      i = end < 0 ? query.length : end + tag.length;
      lastCode = i - 1;
    } else {
      if (!/[\s;]/.test(c)) lastCode = i;
      i++;
    }
  }
  return query.slice(0, lastCode + 1);
}
