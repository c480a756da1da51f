/**
 * A name or an email address as git writes it into a commit's author or committer line (its
 * ident.c strbuf_addstr_without_crud): "crud" — control characters, whitespace, and . , : ; < > " \ '
 * — cut from both ends, then every newline, `<` and `>` left inside removed. Those three delimit
 * the line's parts (`name <email> time zone`), so a name holding one would write a header that
 * git fsck refuses or reads as another person. Applying it twice changes nothing. Empty when only
 * crud was given, which git refuses to commit with ("name consists only of disallowed characters").
 *
 * @example
 * ```ts
 * identPart(' "Dana <Reviewer>". '); // "Dana Reviewer"
 * identPart("A\nB"); // "AB"
 * ```
 */
export function identPart(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isCrud(text.charCodeAt(start))) start++;
  while (end > start && isCrud(text.charCodeAt(end - 1))) end--;
  let out = "";
  for (let i = start; i < end; i++) {
    const c = text[i];
    if (c !== "\n" && c !== "<" && c !== ">") out += c;
  }
  return out;
}

// git compares bytes: a UTF-8 string's non-ASCII bytes are all above 127, so never crud, as
// UTF-16 code units above 127 are not here.
const CRUD = new Set([..." .,:;<>\"\\'"].map((c) => c.charCodeAt(0)));
const isCrud = (code: number) => code <= 32 || CRUD.has(code);
