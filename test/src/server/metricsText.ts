/**
 * A strict reader of Prometheus' text exposition format 0.0.4, for the tests of /metrics: it
 * throws, naming the line, on anything a scraper could misread (a sample before its TYPE, a
 * family split in two, an unknown escape, a repeated series, a histogram whose buckets are not
 * cumulative or lack le="+Inf", or whose +Inf bucket is not its _count).
 */

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Family {
  name: string;
  type: "counter" | "gauge" | "histogram" | "summary" | "untyped";
  help: string | null;
  samples: Sample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;
const FLOAT = /^(?:[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|[+-]?Inf|NaN)$/;

/** The families of a /metrics text, in order; throws on the first line that breaks the format. */
export function parsePrometheusText(text: string): Map<string, Family> {
  if (text.length > 0 && !text.endsWith("\n")) throw new Error("The text does not end with a line feed.");
  const families = new Map<string, Family>();
  const seen = new Set<string>();
  let current: Family | null = null;
  const lines = text.split("\n").slice(0, -1);
  lines.forEach((line, i) => {
    const at = `line ${i + 1}`;
    if (line.startsWith("#")) {
      const m = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
      if (!m) throw new Error(`${at}: a comment other than HELP or TYPE: ${line}`);
      const [, kind, name, rest] = m;
      let family = families.get(name);
      if (family && family !== current) throw new Error(`${at}: ${name} is described again after other families.`);
      if (family && family.samples.length > 0) throw new Error(`${at}: ${kind} of ${name} after its samples.`);
      if (!family) families.set(name, (family = { name, type: "untyped", help: null, samples: [] }));
      current = family;
      if (kind === "HELP") {
        if (family.help !== null) throw new Error(`${at}: a second HELP for ${name}.`);
        family.help = unescapeText(rest, false, at);
      } else {
        if (!/^(counter|gauge|histogram|summary|untyped)$/.test(rest)) throw new Error(`${at}: unknown type ${rest}.`);
        if (seen.has(`TYPE ${name}`)) throw new Error(`${at}: a second TYPE for ${name}.`);
        seen.add(`TYPE ${name}`);
        family.type = rest as Family["type"];
      }
      return;
    }
    if (line === "") throw new Error(`${at}: an empty line.`);
    const sample = parseSample(line, at);
    const family = familyOf(sample.name, current);
    if (!family) throw new Error(`${at}: ${sample.name} does not belong to the family described above it.`);
    if (!seen.has(`TYPE ${family.name}`)) throw new Error(`${at}: a sample of ${family.name} before its TYPE (dw always states one).`);
    const key = `${sample.name}${JSON.stringify(Object.entries(sample.labels).sort())}`;
    if (seen.has(key)) throw new Error(`${at}: the series ${key} appears twice.`);
    seen.add(key);
    family.samples.push(sample);
  });
  for (const family of families.values()) if (family.type === "histogram") checkHistogram(family);
  return families;
}

/** The current family when `name` is its name or, for a histogram or summary, one of its suffixed names. */
function familyOf(name: string, current: Family | null): Family | null {
  if (!current) return null;
  if (name === current.name) return current.type === "histogram" ? null : current;
  const suffixes = current.type === "histogram" ? ["_bucket", "_sum", "_count"] : current.type === "summary" ? ["_sum", "_count"] : [];
  return suffixes.some((s) => name === current.name + s) ? current : null;
}

function parseSample(line: string, at: string): Sample {
  const name = METRIC_NAME.exec(line)?.[0];
  if (!name) throw new Error(`${at}: no metric name.`);
  let rest = line.slice(name.length);
  const labels: Record<string, string> = {};
  if (rest.startsWith("{")) {
    rest = rest.slice(1);
    while (!rest.startsWith("}")) {
      const label = LABEL_NAME.exec(rest)?.[0];
      if (!label) throw new Error(`${at}: a label name expected.`);
      if (Object.hasOwn(labels, label)) throw new Error(`${at}: the label ${label} is repeated.`);
      rest = rest.slice(label.length);
      if (!rest.startsWith('="')) throw new Error(`${at}: ="…" expected after ${label}.`);
      rest = rest.slice(2);
      let raw = "";
      for (;;) {
        if (rest === "") throw new Error(`${at}: an unclosed label value.`);
        if (rest[0] === '"') break;
        if (rest[0] === "\\") {
          raw += rest.slice(0, 2);
          rest = rest.slice(2);
        } else {
          raw += rest[0];
          rest = rest.slice(1);
        }
      }
      labels[label] = unescapeText(raw, true, at);
      rest = rest.slice(1);
      if (rest.startsWith(",")) rest = rest.slice(1);
      else if (!rest.startsWith("}")) throw new Error(`${at}: , or } expected after a label value.`);
    }
    rest = rest.slice(1);
  }
  const m = /^ (\S+)(?: (-?\d+))?$/.exec(rest);
  if (!m || !FLOAT.test(m[1])) throw new Error(`${at}: a value (and optionally a timestamp) expected after the labels.`);
  const value = m[1].endsWith("Inf") ? (m[1].startsWith("-") ? -Infinity : Infinity) : Number(m[1]);
  return { name, labels, value };
}

/** The text of an escaped label value (\\, \", \n) or HELP text (\\, \n); any other escape throws. */
function unescapeText(raw: string, quotes: boolean, at: string): string {
  return raw.replace(/\\(.?)/g, (_, c: string) => {
    if (c === "\\") return "\\";
    if (c === "n") return "\n";
    if (c === '"' && quotes) return '"';
    throw new Error(`${at}: the escape \\${c} is not in the format.`);
  });
}

function checkHistogram(family: Family): void {
  const groups = new Map<string, { buckets: [number, number][]; sum?: number; count?: number }>();
  for (const s of family.samples) {
    const { le, ...rest } = s.labels;
    const key = JSON.stringify(Object.entries(rest).sort());
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { buckets: [] }));
    if (s.name.endsWith("_bucket")) {
      if (le === undefined) throw new Error(`${family.name}: a bucket without le.`);
      if (!FLOAT.test(le)) throw new Error(`${family.name}: le="${le}" is not a number.`);
      g.buckets.push([le === "+Inf" ? Infinity : Number(le), s.value]);
    } else if (le !== undefined) throw new Error(`${family.name}: le on ${s.name}.`);
    else if (s.name.endsWith("_sum")) g.sum = s.value;
    else g.count = s.value;
  }
  for (const [key, g] of groups) {
    if (g.sum === undefined || g.count === undefined) throw new Error(`${family.name}${key}: _sum or _count missing.`);
    for (let i = 1; i < g.buckets.length; i++) {
      if (!(g.buckets[i][0] > g.buckets[i - 1][0])) throw new Error(`${family.name}${key}: le not ascending.`);
      if (g.buckets[i][1] < g.buckets[i - 1][1]) throw new Error(`${family.name}${key}: bucket counts not cumulative.`);
    }
    const last = g.buckets.at(-1);
    if (!last || last[0] !== Infinity) throw new Error(`${family.name}${key}: no le="+Inf" bucket last.`);
    if (last[1] !== g.count) throw new Error(`${family.name}${key}: the +Inf bucket (${last[1]}) is not _count (${g.count}).`);
  }
}

/** The value of the one sample of `family` whose labels include all of `labels`; throws when there is not exactly one. */
export function sampleValue(families: Map<string, Family>, name: string, labels: Record<string, string>): number {
  const family = families.get(name.replace(/_(bucket|sum|count)$/, "")) ?? families.get(name);
  const found = (family?.samples ?? []).filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (found.length !== 1) throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}.`);
  return found[0].value;
}

/** Like sampleValue, but 0 when no sample matches (a counter not yet exposed). */
export function counterValue(families: Map<string, Family>, name: string, labels: Record<string, string>): number {
  const family = families.get(name);
  const found = (family?.samples ?? []).filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}.`);
  return found[0]?.value ?? 0;
}
