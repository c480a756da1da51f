import { z } from "zod";
import { formatMetric } from "./formatMetric.js";
import { shortTime } from "./runsView.js";

/**
 * What a model version's "Code" dialog shows, as data (no DOM): the code that ran before its
 * training in execution order (get_run_history's history_ts) with the findings above it, where the
 * notebook came from, the environment in one line, what to diff it with (the previous version's
 * run), and reproduce_run's verdict. The labextension cannot import the tools (they are not
 * zod-only), so the fields shown are checked here again: an answer that does not match is an
 * error naming the field, not a half-drawn view. Fields the dialog does not show are let through,
 * so a tool that adds fields does not break it.
 */

const FindingKind = z.enum(["rerun", "edited_after_run", "out_of_order", "unsaved_edits", "not_run", "not_in_notebook", "errored_before"]);
const Finding = z.object({
  kind: FindingKind,
  cell_id: z.string().optional(),
  execution_counts: z.array(z.number().int()),
  message: z.string(),
});
const NotebookSource = z.enum(["browser", "disk"]).nullable();
const RunHistory = z.object({
  run_id: z.string(),
  history_ts: z.string().nullable(),
  notebook_ts: z.string().nullable(),
  findings: z.array(Finding),
  notebook_source: NotebookSource,
  environment: z.record(z.string(), z.unknown()).nullable(),
  cell_id: z.string().nullable().optional(),
  created_at: z.string(),
  // Absent when asked by run id; null for a model's first version.
  previous: z
    .object({ run_id: z.string(), version: z.number().int() })
    .nullable()
    .optional()
    .transform((p) => p ?? null),
});
export type RunHistory = z.output<typeof RunHistory>;
export type FindingKind = z.infer<typeof FindingKind>;

export type Read<T> = { ok: true; value: T } | { ok: false; message: string };

function read<T>(schema: z.ZodType<T>, tool: string, output: unknown): Read<T> {
  const parsed = schema.safeParse(output);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, message: `${tool} answered something the dialog cannot read (${issue?.path.join(".") || "output"}: ${issue?.message}).` };
}

/** get_run_history's answer, checked. */
export function readRunHistory(output: unknown): Read<RunHistory> {
  return read(RunHistory, "get_run_history", output);
}

/**
 * get_run_history's input for a registered version: the model reference, so the tool resolves the
 * run through the registry (one rule, in the kernel) and answers the previous version's run too.
 */
export function historyInput(model: string, version: number): { model_id: string } {
  return { model_id: `${model}/${version}` };
}

/** Each finding's heading, and the order they are listed in: what changes the meaning of the code first. */
const FINDING_LABELS: Record<FindingKind, string> = {
  unsaved_edits: "Unsaved edits",
  edited_after_run: "Edited after it ran",
  out_of_order: "Run out of order",
  rerun: "Run more than once",
  errored_before: "Failed before the training",
  not_in_notebook: "No longer in the notebook",
  not_run: "Never run",
};
const FINDING_ORDER = Object.keys(FINDING_LABELS) as FindingKind[];

export interface FindingView {
  kind: FindingKind;
  label: string;
  /** The tool's sentence, which names the execution counts and cells. */
  message: string;
  /** `cell <id> · [3], [7]` when the finding is about one cell. */
  where: string | null;
}

export interface RunCodeView {
  runId: string;
  created: { text: string; title: string };
  findings: FindingView[];
  notebookSource: { text: string; kind: "browser" | "disk" | "none" };
  environment: { text: string; title: string };
  /** The code shown: the history when recorded, else the paired notebook script, else nothing. */
  code: { of: "history" | "notebook"; text: string; lines: { tokens: Token[]; cell: boolean }[]; cells: number } | null;
  /** Why the code is the notebook's, or missing. */
  codeNote: string | null;
}

/** The dialog's Code view of a version's history. */
export function runCodeView(history: RunHistory): RunCodeView {
  const findings = [...history.findings]
    .map((f, i) => ({ f, i }))
    .sort((a, b) => FINDING_ORDER.indexOf(a.f.kind) - FINDING_ORDER.indexOf(b.f.kind) || a.i - b.i)
    .map(({ f }) => ({
      kind: f.kind,
      label: FINDING_LABELS[f.kind],
      message: f.message,
      where: f.cell_id ? `cell ${f.cell_id}${f.execution_counts.length ? ` · ${f.execution_counts.map((n) => `[${n}]`).join(", ")}` : ""}` : null,
    }));
  const text = history.history_ts ?? history.notebook_ts;
  const of = history.history_ts !== null ? "history" : "notebook";
  return {
    runId: history.run_id,
    created: { text: shortTime(history.created_at), title: history.created_at },
    findings,
    notebookSource: notebookSourceView(history.notebook_source),
    environment: environmentLine(history.environment),
    code: text === null ? null : codeLines(of, text),
    codeNote:
      history.history_ts !== null
        ? null
        : text !== null
          ? "The kernel recorded no execution history for this run (it was trained before dw recorded one, or outside a kernel): the notebook as stored with the run is shown instead, in cell order, which need not be the order it ran in."
          : "This run recorded neither an execution history nor a notebook (it was trained outside a notebook): only its training call is known (see Details).",
  };
}

function notebookSourceView(source: RunHistory["notebook_source"]): RunCodeView["notebookSource"] {
  if (source === "browser") return { kind: "browser", text: "Notebook as it was in the browser when the model was trained (unsaved edits included)." };
  if (source === "disk")
    return { kind: "disk", text: "Notebook as saved on disk when the model was trained (nbclient, the CLI, or a browser that did not send its copy)." };
  return { kind: "none", text: "No notebook was recorded with this run." };
}

/** A cell's header line in history.ts, as get_run_history renders it: `// ---- [3] cell <id> · …`. */
const CELL_HEADER = /^\/\/ -{3,} \[\d+\]/;

/** The code as coloured lines, each marked when it starts a cell (the dialog sets those apart). */
function codeLines(of: "history" | "notebook", text: string): NonNullable<RunCodeView["code"]> {
  const raw = text.split("\n");
  const lines = highlightTs(text).map((tokens, i) => ({ tokens, cell: of === "history" && CELL_HEADER.test(raw[i] ?? "") }));
  return { of, text, lines, cells: lines.filter((l) => l.cell).length };
}

const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : typeof v === "number" ? String(v) : null);
const obj = (v: unknown): Record<string, unknown> => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/**
 * environment.json in one line: Node, tslab, dw, the OS and the CPU; every recorded field (the
 * package versions too) in the title. Fields are read by name and skipped when absent, so an
 * older or newer record still gives a line.
 */
export function environmentLine(env: Record<string, unknown> | null): { text: string; title: string } {
  if (env === null) return { text: "Environment not recorded (the run is older than dw's environment record).", title: "" };
  const node = str(env.node) ?? str(env.node_version);
  const os = obj(env.os);
  const cpu = obj(env.cpu);
  const parts = [
    node ? `Node ${node.replace(/^v/, "")}` : null,
    str(env.tslab) ? `tslab ${str(env.tslab)}` : null,
    str(env.dw) ? `dw ${str(env.dw)}` : null,
    [str(os.platform), str(os.release), str(os.arch)].filter(Boolean).join(" ") || null,
    str(cpu.model) ? `${str(cpu.model)}${str(cpu.count) ? ` ×${str(cpu.count)}` : ""}` : null,
  ].filter((p): p is string => p !== null);
  return { text: parts.length ? parts.join(" · ") : "Environment recorded without Node, dw or OS fields.", title: JSON.stringify(env, null, 1) };
}

/** compare_experiments' input for "Diff with previous version", or why there is none. */
export function diffInput(history: RunHistory, version: number): { ok: true; input: { run_ids: string[] }; label: string } | { ok: false; reason: string } {
  if (history.previous === null) return { ok: false, reason: `v${version} is the model's first version: there is no previous version to diff with.` };
  if (history.previous.run_id === history.run_id)
    return { ok: false, reason: `v${history.previous.version} and v${version} were registered from the same run: the code is the same.` };
  return { ok: true, input: { run_ids: [history.previous.run_id, history.run_id] }, label: `v${history.previous.version} → v${version}` };
}

// ---- reproduce_run

const Difference = z.union([z.string(), z.record(z.string(), z.unknown())]);
const Reproduction = z.object({
  identical: z.boolean(),
  verdict: z.string().optional(),
  run_id: z.string(),
  model_json: z.object({ stored_sha256: z.string(), rebuilt_sha256: z.string().nullable(), bytes: z.number().int() }),
  metrics: z.array(z.object({ name: z.string(), stored: z.number().nullable(), rebuilt: z.number().nullable(), equal: z.boolean() })),
  differences: z.array(Difference),
  data: z.object({ dataset_id: z.string(), sha256: z.string(), found_in: z.string(), source: z.string() }).optional(),
  environment: z.object({ recorded: z.boolean().optional(), same: z.boolean(), changes: z.array(Difference) }),
});
export type Reproduction = z.infer<typeof Reproduction>;

/** reproduce_run's answer, checked. */
export function readReproduction(output: unknown): Read<Reproduction> {
  return read(Reproduction, "reproduce_run", output);
}

export interface ReproduceView {
  identical: boolean;
  /** "Same bytes: …" or what differs, in one sentence. */
  headline: string;
  sha256: { stored: string; rebuilt: string | null };
  metrics: { name: string; text: string; equal: boolean }[];
  differences: string[];
  /** Where the data was found by its content hash; null from a tool that does not say. */
  data: string | null;
  environment: string;
}

/** A difference as reproduce_run words it: its message when it has one, else its fields. */
function differenceText(d: Reproduction["differences"][number]): string {
  if (typeof d === "string") return d;
  const message = str(d.message);
  if (message) return message;
  const what = str(d.path) ?? str(d.parameter) ?? str(d.field) ?? str(d.kind);
  const shown = (v: unknown) => (v === undefined ? "—" : typeof v === "string" ? v : JSON.stringify(v));
  if (what && ("stored" in d || "rebuilt" in d || "current" in d))
    return `${what}: ${shown(d.stored)} then, ${shown("rebuilt" in d ? d.rebuilt : d.current)} now`;
  return JSON.stringify(d);
}

/** The Reproduce view: same bytes with the sha256, or the list of differences. */
export function reproduceView(r: Reproduction): ReproduceView {
  const equalMetrics = r.metrics.filter((m) => m.equal).length;
  const bytes = `${r.model_json.bytes.toLocaleString("en-US")} bytes`;
  // The tool's own verdict when it gives one: it names what differs first, in the words the CLI prints.
  const headline = r.verdict
    ? r.verdict
    : r.identical
      ? `Same bytes: the model rebuilt from run ${r.run_id}'s commit is its model.json, sha256 ${r.model_json.stored_sha256} (${bytes}); ${equalMetrics} of ${r.metrics.length} metrics equal to the last digit.`
      : `Not the same: ${r.differences.length} difference${r.differences.length === 1 ? "" : "s"} between the stored model and the one rebuilt from run ${r.run_id}'s commit.`;
  return {
    identical: r.identical,
    headline,
    sha256: { stored: r.model_json.stored_sha256, rebuilt: r.model_json.rebuilt_sha256 },
    metrics: r.metrics.map((m) => ({
      name: m.name,
      equal: m.equal,
      text:
        m.equal && m.stored !== null
          ? `${m.name} ${m.stored} (equal)`
          : `${m.name} stored ${m.stored === null ? "—" : formatMetric(m.stored)}, rebuilt ${m.rebuilt === null ? "—" : formatMetric(m.rebuilt)} (stored ${m.stored}, rebuilt ${m.rebuilt})`,
    })),
    differences: r.differences.map(differenceText),
    data: r.data
      ? `Data ${r.data.dataset_id}, sha256 ${r.data.sha256.slice(0, 12)}, found by its content hash in ${r.data.found_in === "cache" ? "the data cache" : `its recorded source ${r.data.source}, hashed again`}.`
      : null,
    environment:
      r.environment.recorded === false
        ? "The run recorded no environment (it is older than dw's environment record): nothing to compare."
        : r.environment.same
          ? "Same environment as when the model was trained."
          : `Environment changed since the training: ${r.environment.changes.map(differenceText).join("; ") || "(no detail)"}.`,
  };
}

// ---- syntax highlighting

export interface Token {
  kind: "plain" | "comment" | "string" | "keyword" | "number";
  text: string;
}

const KEYWORDS = new Set(
  "as async await break case catch class const continue default delete do else export extends false finally for from function if import in instanceof let new null of return switch this throw true try type typeof undefined var void while yield".split(
    " ",
  ),
);

/**
 * TypeScript split into lines of coloured tokens (comments, strings, keywords, numbers): enough to
 * read history.ts at a glance without a code editor, which the labextension does not depend on. One
 * pass, linear in the text; a block comment or template string keeps its colour across lines.
 */
export function highlightTs(code: string): Token[][] {
  const lines: Token[][] = [[]];
  const emit = (kind: Token["kind"], text: string) => {
    const parts = text.split("\n");
    parts.forEach((part, i) => {
      if (i > 0) lines.push([]);
      if (part === "") return;
      const line = lines[lines.length - 1]!;
      const last = line[line.length - 1];
      if (last && last.kind === kind) last.text += part;
      else line.push({ kind, text: part });
    });
  };
  const n = code.length;
  let i = 0;
  while (i < n) {
    const c = code[i]!;
    const next = code[i + 1];
    let j: number;
    if (c === "/" && next === "/") {
      j = code.indexOf("\n", i);
      if (j < 0) j = n;
      emit("comment", code.slice(i, j));
    } else if (c === "/" && next === "*") {
      j = code.indexOf("*/", i + 2);
      j = j < 0 ? n : j + 2;
      emit("comment", code.slice(i, j));
    } else if (c === '"' || c === "'" || c === "`") {
      j = i + 1;
      while (j < n && code[j] !== c && (c === "`" || code[j] !== "\n")) j += code[j] === "\\" ? 2 : 1;
      j = Math.min(n, j + (code[j] === c ? 1 : 0));
      emit("string", code.slice(i, j));
    } else if (/[A-Za-z_$]/.test(c)) {
      j = i + 1;
      while (j < n && /[\w$]/.test(code[j]!)) j += 1;
      const word = code.slice(i, j);
      emit(KEYWORDS.has(word) ? "keyword" : "plain", word);
    } else if (/\d/.test(c)) {
      j = i + 1;
      while (j < n && /[\w.]/.test(code[j]!)) j += 1;
      emit("number", code.slice(i, j));
    } else {
      j = i + 1;
      while (j < n && !/[A-Za-z_$\d"'`/]/.test(code[j]!)) j += 1;
      emit("plain", code.slice(i, j));
    }
    i = j;
  }
  return lines;
}
