import { getHeapSnapshot } from "node:v8";

/**
 * How many string objects on this process's heap hold each of `texts`, counted in a heap snapshot
 * (which collects garbage first, so only strings still reachable count). A column that shares one
 * string per distinct value shows one copy, one that holds a string per row shows a copy per row:
 * the sharing itself, not the memory it saves, which depends on the machine and the engine.
 */
export async function stringCopies(texts: string[]): Promise<Map<string, number>> {
  const chunks: Buffer[] = [];
  for await (const chunk of getHeapSnapshot()) chunks.push(chunk as Buffer);
  const snapshot = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
    nodes: number[];
    strings: string[];
  };
  const fields = snapshot.snapshot.meta.node_fields;
  const typeNames = snapshot.snapshot.meta.node_types[0];
  const typeAt = fields.indexOf("type");
  const nameAt = fields.indexOf("name");
  const wanted = new Map<number, string>();
  snapshot.strings.forEach((s, i) => {
    if (texts.includes(s)) wanted.set(i, s);
  });
  const counts = new Map(texts.map((t) => [t, 0]));
  for (let i = 0; i < snapshot.nodes.length; i += fields.length) {
    // "string", "concatenated string" and "sliced string" are all strings; a node's name is its text.
    if (!typeNames[snapshot.nodes[i + typeAt]].includes("string")) continue;
    const text = wanted.get(snapshot.nodes[i + nameAt]);
    if (text !== undefined) counts.set(text, counts.get(text)! + 1);
  }
  return counts;
}
