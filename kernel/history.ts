/**
 * The kernel keeps no history across starts: every start is session 1 of its own history, and
 * session 0 (or 1) in a request names it, as IPython's current session is 0.
 */
export const HISTORY_SESSION = 1;

interface Entry {
  /** The cell's execution count, which Jupyter calls its line number. */
  line: number;
  input: string;
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

/**
 * The cells this kernel executed since it started, in order, for history_request (JupyterLab's
 * console recalls them with the up arrow): `tail` (the last n), `range` (lines start to stop,
 * stop excluded) and `search` (a glob over the whole input, as IPython's `*`, `?` and `[...]`,
 * optionally unique and the last n). Cells run silently or with store_history false are not kept.
 */
export interface History {
  /** Records a cell as it starts to run, under its execution count. */
  record(line: number, input: string): void;
  /** Records the text of a cell's value (its execute_result), for requests with output: true. */
  recordOutput(line: number, text: string): void;
  /** history_reply content for a history_request's content. */
  reply(content: Record<string, unknown>): { status: "ok"; history: HistoryItem[] };
}

export function createHistory(): History {
  const entries: Entry[] = [];
  return {
    record(line, input) {
      if (input.trim() !== "") entries.push({ line, input });
    },
    recordOutput(line, text) {
      const entry = entries.findLast((e) => e.line === line);
      if (entry) entry.output = text;
    },
    reply(content) {
      const request = content as HistoryRequest;
      const item = (e: Entry): HistoryItem => (request.output ? [HISTORY_SESSION, e.line, [e.input, e.output ?? null]] : [HISTORY_SESSION, e.line, e.input]);
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
      return entries.filter((e) => e.line >= start && e.line < stop);
    }
    case "search": {
      const pattern = glob(request.pattern ?? "*");
      let found = entries.filter((e) => pattern.test(e.input));
      if (request.unique) found = found.filter((e, i) => !found.slice(i + 1).some((later) => later.input === e.input));
      return request.n == null ? found : last(found, request.n);
    }
    default:
      return [];
  }
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
