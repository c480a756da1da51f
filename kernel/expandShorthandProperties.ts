import type * as ts from "@tslab/typescript-for-tslab";

/**
 * Writes each shorthand property of an object literal out in full (`{ features }` becomes
 * `{ features: features }`, `{ a = 1 } = o` becomes `{ a: a = 1 } = o`), which means the same in
 * TypeScript. tslab reaches a variable declared in an earlier cell by rewriting each reference to
 * it, but it does not see a shorthand property as a reference, so `{ features }` threw
 * "features is not defined" where `{ features: features }` worked. Line and column of everything
 * before the property stay as the user wrote them. Linear in the cell's size; a cell with no `{`
 * is returned as it is without parsing.
 */
export function expandShorthandProperties(code: string, typescript: typeof ts): string {
  if (!code.includes("{")) return code;
  const sf = typescript.createSourceFile("cell.ts", code, typescript.ScriptTarget.Latest, false, typescript.ScriptKind.TS);
  const ends: Array<{ at: number; name: string }> = [];
  const visit = (node: ts.Node): void => {
    if (typescript.isShorthandPropertyAssignment(node)) ends.push({ at: node.name.end, name: code.slice(node.name.getStart(sf), node.name.end) });
    typescript.forEachChild(node, visit);
  };
  visit(sf);
  if (ends.length === 0) return code;
  const parts: string[] = [];
  let from = 0;
  for (const { at, name } of ends.sort((a, b) => a.at - b.at)) {
    parts.push(code.slice(from, at), `: ${name}`);
    from = at;
  }
  parts.push(code.slice(from));
  return parts.join("");
}
