import { MagicError } from "../../src/adapters/MagicError.js";
import { toCellError, type CellError } from "../cellError.js";
import { valueBundle, type ResultRegistry } from "../display.js";
import type { Executor } from "../executor.js";
import type { MagicRouter } from "../magic/createMagicRouter.js";
import { preprocessCell } from "../magic/preprocessCell.js";
import type { Outputs } from "../outputs.js";
import type { JupyterMessage } from "../jupyterProtocol/message.js";
import { BRIDGE_VARIABLE } from "../dwObject.js";
import type { History } from "../history.js";
import { NotebookCellId } from "../../src/comm/protocol.js";

export interface ExecuteDeps {
  executor: Executor;
  outputs: Outputs;
  router: MagicRouter;
  results: ResultRegistry;
  /** Cells that count (not silent, store_history) are recorded here: code, cell id, time, status, their value's text. */
  history: History;
  /** Whether the user interrupted the cell that just ended (its status is then "aborted"). */
  interrupted?(): boolean;
  /** The cell being executed and its notebook cell id (when the client sent a valid one), for run origins; undefined between cells. */
  setCurrentCell(code: string | undefined, cellId?: string): void;
}

interface ExecuteRequest {
  code?: string;
  silent?: boolean;
  store_history?: boolean;
}

/**
 * execute_request: execute_input, the cell's streams and displays, its value as execute_result,
 * or exactly one `error` output; then the reply content. Magic lines are rewritten first; a bad
 * magic line fails the cell before any of it runs.
 */
export function createExecuteHandler(deps: ExecuteDeps) {
  let executionCount = 0;

  async function execute(msg: JupyterMessage): Promise<Record<string, unknown>> {
    const { code = "", silent = false, store_history: storeHistory = true } = msg.content as ExecuteRequest;
    const stored = !silent && storeHistory;
    if (stored) executionCount++;
    const count = executionCount;
    const cellId = cellIdOf(msg.metadata);
    const recorded = stored ? deps.history.record(count, code, cellId) : undefined;
    // A handler that throws leaves the cell's status "error" (the kernel answers with an error reply).
    let status: CellStatus = "error";
    try {
      const ran = await run(msg, code, count, silent, stored, cellId);
      status = ran.status;
      return ran.reply;
    } finally {
      recorded?.end(status);
    }
  }

  async function run(msg: JupyterMessage, code: string, count: number, silent: boolean, stored: boolean, cellId: string | undefined): Promise<Ran> {
    deps.outputs.setParent(msg);
    if (!silent) deps.outputs.publish("execute_input", { code, execution_count: count });
    const fail = (error: CellError, status: CellStatus = "error"): Ran => {
      deps.outputs.publish("error", { ...error });
      return { status, reply: { status: "error", execution_count: count, ...error } };
    };
    if (code.trim() === "") return { status: "ok", reply: ok(count) };

    let ts: string;
    try {
      ts = preprocessCell(code, { bridge: BRIDGE_VARIABLE, validate: (p) => deps.router.validate(p) }).code;
    } catch (e) {
      if (e instanceof MagicError) return fail(toCellError(e));
      throw e;
    }
    deps.setCurrentCell(code, cellId);
    try {
      const outcome = await deps.executor.execute(ts);
      deps.outputs.flush();
      // Only a cell that ran can have been interrupted: one that failed because the user stopped it is "aborted".
      if (!outcome.ok) return fail(outcome.error, deps.interrupted?.() ? "aborted" : "error");
      if (outcome.value && !silent) {
        const data = valueBundle(outcome.value.v, deps.results);
        deps.outputs.publish("execute_result", { execution_count: count, data, metadata: {} });
        if (stored) deps.history.recordOutput(count, String(data["text/plain"]));
      }
      return { status: "ok", reply: ok(count) };
    } finally {
      deps.setCurrentCell(undefined);
    }
  }

  return execute;
}

type CellStatus = "ok" | "error" | "aborted";
interface Ran {
  status: CellStatus;
  reply: Record<string, unknown>;
}

/**
 * The notebook cell id an execute_request carries in its metadata (`cellId`, sent by JupyterLab
 * and nbclient), when it is one: nbformat 4.5 allows 1 to 64 letters, digits, '-' and '_'. Anything
 * else is ignored, as a client may send what it likes and the id ends up in a run commit.
 */
export function cellIdOf(metadata: Record<string, unknown> | undefined): string | undefined {
  const id = NotebookCellId.safeParse(metadata?.cellId);
  return id.success ? id.data : undefined;
}

function ok(count: number) {
  return { status: "ok", execution_count: count, payload: [], user_expressions: {} };
}
