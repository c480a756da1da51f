import type { DwCall, ExecutedCell, ExecutionRecord } from "../src/execution/ExecutionRecord.js";

/**
 * The kernel keeps no history across starts: every start is session 1 of its own history, and
 * session 0 (or 1) in a request names it, as IPython's current session is 0.
 */
export const HISTORY_SESSION = 1;

/** How many executed cells the kernel keeps; older ones are dropped and counted. */
export const HISTORY_LIMIT = 1000;

interface Entry {
  cell: ExecutedCell;
  /** When it started, by the injected clock, for its duration. */
  startMs: number;
  /** The text of the cell's execute_result, if it had one. */
  output?: string;
}

/** What a history_request asks for (Jupyter messaging 5.3); absent fields take IPython's defaults. */
interface HistoryRequest {
  output?: boolean;
  raw?: boolean;
  hist_access_type?: string;
  session?: number;
  start?: number;
  stop?: number | null;
  n?: number | null;
  pattern?: string;
  unique?: boolean;
}

type HistoryItem = [number, number, string] | [number, number, [string, string | null]];

/** A cell the history holds, for the code that runs it: it ends it and records its dw calls. */
export interface RecordedCell {
  /** Adds a dw call the cell made (in the order calls end). */
  addCall(call: DwCall): void;
  /** The cell ended: ok, error, or aborted (interrupted while it ran). */
  end(status: "ok" | "error" | "aborted"): void;
}

/**
 * The cells this kernel executed since it started, in order, each an `ExecutedCell` (code, count,
 * cell id, start, duration, status, dw calls): what a run commit stores as its execution record,
 * and what history_request answers from (JupyterLab's console recalls them with the up arrow):
 * `tail` (the last n), `range` (lines start to stop, stop excluded) and `search` (a glob over the
 * whole input, as IPython's `*`, `?` and `[...]`, optionally unique and the last n). Cells run
 * silently, with store_history false, or blank are not kept; beyond `limit` cells the oldest go,
 * counted in `dropped`.
 */
export interface History {
  /** Records a cell as it starts to run, under its execution count; undefined for a blank cell, which is not kept. */
  record(line: number, input: string, cellId?: string): RecordedCell | undefined;
  /** Records the text of a cell's value (its execute_result), for requests with output: true. */
  recordOutput(line: number, text: string): void;
  /** The cell running now, if one is: a tool call it makes is recorded on it. */
  running(): RecordedCell | undefined;
  /** A copy of the history as it stands, the running cell "running" with its calls so far. */
  snapshot(): ExecutionRecord;
  /** history_reply content for a history_request's content. */
  reply(content: Record<string, unknown>): { status: "ok"; history: HistoryItem[] };
}

export interface HistoryOptions {
  /** The clock (injected so tests can fix times); the kernel's start is its first reading. */
  now?(): Date;
  limit?: number;
}

export function createHistory(options: HistoryOptions = {}): History {
  const now = options.now ?? (() => new Date());
  const limit = options.limit ?? HISTORY_LIMIT;
  const kernelStartedAt = now().toISOString();
  const entries: Entry[] = [];
  let dropped = 0;
  let running: RecordedCell | undefined;
  return {
    record(line, input, cellId) {
      if (input.trim() === "") return undefined;
      const started = now();
      const cell: ExecutedCell = { execution_count: line, code: input, started_at: started.toISOString(), status: "running", dw_calls: [] };
      if (cellId !== undefined) cell.cell_id = cellId;
      const entry: Entry = { cell, startMs: started.getTime() };
      entries.push(entry);
      if (entries.length > limit) dropped += entries.splice(0, entries.length - limit).length;
      const recorded: RecordedCell = {
        addCall(call) {
          cell.dw_calls.push(call);
        },
        end(status) {
          if (cell.status !== "running") return;
          cell.status = status;
          cell.duration_ms = Math.max(0, now().getTime() - entry.startMs);
          if (running === recorded) running = undefined;
        },
      };
      running = recorded;
      return recorded;
    },
    recordOutput(line, text) {
      const entry = entries.findLast((e) => e.cell.execution_count === line);
      if (entry) entry.output = text;
    },
    running: () => running,
    snapshot() {
      // Copies, so a record handed to a run is not changed by cells that run after it.
      return {
        kernel_started_at: kernelStartedAt,
        cells: entries.map((e) => ({ ...e.cell, dw_calls: e.cell.dw_calls.map((c) => ({ ...c })) })),
        dropped,
      };
    },
    reply(content) {
      const request = content as HistoryRequest;
      const item = (e: Entry): HistoryItem =>
        request.output ? [HISTORY_SESSION, e.cell.execution_count, [e.cell.code, e.output ?? null]] : [HISTORY_SESSION, e.cell.execution_count, e.cell.code];
      return { status: "ok", history: select(entries, request).map(item) };
    },
  };
}

function select(entries: readonly Entry[], request: HistoryRequest): readonly Entry[] {
  switch (request.hist_access_type) {
    case "tail":
      return last(entries, request.n ?? 10);
    case "range": {
      const session = request.session ?? 0;
      if (session !== 0 && session !== HISTORY_SESSION) return [];
      const start = request.start ?? 1;
      const stop = request.stop ?? Number.POSITIVE_INFINITY;
      return entries.filter((e) => e.cell.execution_count >= start && e.cell.execution_count < stop);
    }
    case "search": {
      const pattern = glob(request.pattern ?? "*");
      let found = entries.filter((e) => pattern.test(e.cell.code));
      if (request.unique) found = uniqueByLast(found);
      return request.n == null ? found : last(found, request.n);
    }
    default:
      return [];
  }
}

/** Each input's last occurrence, in order: one pass, where comparing every pair was quadratic in the history. */
function uniqueByLast(found: readonly Entry[]): Entry[] {
  const lastIndex = new Map<string, number>();
  for (const [i, e] of found.entries()) lastIndex.set(e.cell.code, i);
  return found.filter((e, i) => lastIndex.get(e.cell.code) === i);
}

function last<T>(items: readonly T[], n: number): readonly T[] {
  return n > 0 ? items.slice(-n) : [];
}

/** A glob as SQLite's GLOB reads it (IPython searches with it): `*`, `?`, `[...]`, `[^...]`, case-sensitive, the whole text. */
function glob(pattern: string): RegExp {
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "*") source += "[\\s\\S]*";
    else if (c === "?") source += "[\\s\\S]";
    else if (c === "[" && closing(pattern, i) > 0) {
      const end = closing(pattern, i);
      const negated = pattern[i + 1] === "^";
      const members = pattern.slice(i + (negated ? 2 : 1), end);
      source += `[${negated ? "^" : ""}${members.replace(/[\\\]]/g, "\\$&")}]`;
      i = end;
    } else source += c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}

/** Where the class opened at `open` ends; a `]` first in the class is a member, as in SQLite. */
function closing(pattern: string, open: number): number {
  const first = open + (pattern[open + 1] === "^" ? 2 : 1);
  return pattern.indexOf("]", first + 1);
}
