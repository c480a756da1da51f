import { stat } from "node:fs/promises";
import { join } from "node:path";
import type { Workspace } from "../../workspace/Workspace.js";
import { POLICY_FILE } from "../../policy/readPolicyDocument.js";
import { MonitoringPolicy, readMonitoringPolicy } from "../monitoringPolicy.js";
import { createLogAppender, type LogAppender } from "./createLogAppender.js";
import { feedbackLogDir, requestsLogDir } from "./logPaths.js";
import { inferenceLines, type InferenceEntry, type PiiHandling } from "./inferenceLines.js";
import { monitoringKey } from "./monitoringKey.js";
import { piiColumns, type PiiColumns } from "./piiColumns.js";
import { createRateSampler } from "./createRateSampler.js";

export type { InferenceEntry } from "./inferenceLines.js";

/** A label for a row of an earlier request, as the feedback route accepted it. */
export interface FeedbackInput {
  request_id: string;
  row: number;
  label: number | string | boolean;
}

/** The inference log of one server process (see createInferenceLog). */
export interface InferenceLog {
  /** Logs an answered request on an alias path; cheap: the lines are made and written later, in the next batch. */
  record(entry: InferenceEntry): void;
  /** Appends labels to the deployment's feedback log; resolves once written (false: the write failed and was reported). */
  feedback(name: string, alias: string, labels: readonly FeedbackInput[]): Promise<boolean>;
  /** Writes what is buffered now. */
  flush(): Promise<void>;
  /** Writes what is buffered and closes the files. */
  close(): Promise<void>;
}

/** Buffered rows past which a batch is written before its time, and past which requests are not logged until it is. */
const EARLY_FLUSH_ROWS = 20_000;
const MAX_BUFFERED_ROWS = 200_000;
/** How often the policy file is looked at for a change, at most. */
const POLICY_CHECK_MS = 2_000;

const NO_PII: PiiHandling = { columns: null, key: null };

interface Deployment {
  requests: LogAppender;
  feedback: LogAppender;
  /** Lines made already (a request whose PII handling was known), or a request to make lines of when written. */
  pending: (string | { entry: InferenceEntry; w: number })[];
  /** Batches are made and written one after another, so a deployment's lines stay in order. */
  chain: Promise<unknown>;
  /** Rows in `pending`. */
  rows: number;
}

/**
 * The inference log of one `dw serve` process: per deployment (model name + alias; requests to a
 * pinned version are not logged), NDJSON lines under `.dw/monitoring/<name>/<alias>/requests/`,
 * one per scored row (InferenceRecord), in files of this process's own (createLogAppender). The
 * request path makes the request's lines (once its run's PII handling is known; before that the
 * request is held and its lines made at the write) and appends them to a buffer; every `flush_ms`
 * the buffer is written in one write per deployment (and on close, and synchronously at exit),
 * so a kill -9 loses at most that interval. Above `full_rate_per_second` requests per second a
 * sample is logged, each line saying how many requests it stands for (createRateSampler). Inputs
 * the run's governance scan marked as PII are keyed-hashed or left out, per `log.pii` (the run's
 * findings are read once per run, the key once per process). The policy is read at start and
 * again when dw.policy.yaml changes. Failures to write are reported through `report`, never
 * thrown at a request.
 *
 * @example
 * ```ts
 * const log = createInferenceLog(ws, { report: (line) => console.error(line) });
 * log.record({ name: "churn", alias: "production", version: 3, runId, requestId: "r-1", t: Date.now(), ms: 0.4, columns, input, predictions });
 * await log.close();
 * ```
 */
export function createInferenceLog(ws: Workspace, options: { report?: (line: string) => void } = {}): InferenceLog {
  const report = options.report ?? ((line: string) => console.error(line));
  const prefix = `${process.pid}-${Date.now()}`;
  let policy: MonitoringPolicy["log"] = MonitoringPolicy.parse({}).log;
  let policyStamp = "";
  let policyCheckedAt = 0;
  const deployments = new Map<string, Deployment>();
  const pii = new Map<string, Promise<PiiColumns>>();
  const piiKnown = new Map<string, PiiColumns>();
  let key: Promise<Buffer | null> | null = null;
  /** The key once read (null: there is none to be had, so PII is dropped); undefined until then. */
  let keyKnown: Buffer | null | undefined;
  let timer: NodeJS.Timeout | null = null;
  let buffered = 0;
  let droppedReported = false;
  let closed = false;
  const sampler = createRateSampler(() => policy.full_rate_per_second);
  const sizes = () => ({ fileBytes: policy.file_mb * 2 ** 20, maxBytes: policy.max_mb * 2 ** 20 });
  let policyRead = loadPolicy();

  async function loadPolicy(): Promise<void> {
    policyCheckedAt = Date.now();
    policyStamp = await policyFileStamp();
    try {
      policy = (await readMonitoringPolicy(ws)).policy.log;
    } catch (e) {
      report(`dw serve: the monitoring policy cannot be read, so the inference log keeps its settings: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  async function policyFileStamp(): Promise<string> {
    const st = await stat(join(ws.root, POLICY_FILE)).catch(() => null);
    return st ? `${st.ino}:${st.size}:${st.mtimeMs}` : "-";
  }

  function deployment(name: string, alias: string): Deployment {
    const k = `${name}@${alias}`;
    let d = deployments.get(k);
    if (!d) {
      const say = (m: string) => report(`dw serve: ${m}`);
      d = {
        requests: createLogAppender(requestsLogDir(ws.root, name, alias), prefix, sizes, say),
        feedback: createLogAppender(feedbackLogDir(ws.root, name, alias), prefix, sizes, say),
        pending: [],
        rows: 0,
        chain: Promise.resolve(),
      };
      deployments.set(k, d);
    }
    return d;
  }

  function piiOf(runId: string): Promise<PiiColumns> {
    let p = pii.get(runId);
    if (!p) {
      p = piiColumns(ws, runId).then(
        (columns) => {
          if (columns === null) report(`dw serve: run ${runId} has no governance report, so no input of its model is treated as PII in the inference log.`);
          piiKnown.set(runId, columns);
          return columns;
        },
        (e: unknown) => {
          // Unknown PII: nothing of this run's inputs is kept until the report can be read.
          pii.delete(runId);
          report(
            `dw serve: cannot read the governance report of run ${runId}: ${e instanceof Error ? e.message : String(e)}; its requests are not logged meanwhile.`,
          );
          throw e;
        },
      );
      pii.set(runId, p);
    }
    return p;
  }

  function keyOnce(): Promise<Buffer | null> {
    key ??= monitoringKey(ws.root).then(
      (k) => (keyKnown = k),
      (e: unknown) => {
        report(`dw serve: no monitoring key (${e instanceof Error ? e.message : String(e)}); PII inputs are left out of the inference log instead of hashed.`);
        keyKnown = null;
        return null;
      },
    );
    return key;
  }

  function record(entry: InferenceEntry): void {
    if (closed) return;
    const rows = entry.predictions?.length ?? 1;
    if (buffered + rows > MAX_BUFFERED_ROWS) {
      if (!droppedReported) report("dw serve: the inference log cannot keep up (its buffer is full); requests go unlogged until it has written.");
      droppedReported = true;
      return;
    }
    const w = sampler.weight(entry.t);
    if (w === 0) return;
    // The run's PII columns (and the key) are looked up once, starting now, so they are known by
    // the time the batch is written, even by the synchronous write at exit.
    if (entry.err === undefined && !pii.has(entry.runId)) void handling(entry.runId).catch(() => undefined);
    // Once the handling is known the lines are made now: a string held until the write costs the
    // garbage collector far less than the request's parsed rows would (they would outlive the
    // young generation). Before that (a version's first requests), the request is held.
    const known = knownHandling(entry);
    const d = deployment(entry.name, entry.alias);
    d.pending.push(known ? inferenceLines(entry, w, known) : { entry, w });
    buffered += rows;
    d.rows += rows;
    if (buffered >= EARLY_FLUSH_ROWS) void flush();
    else timer ??= setTimeout(() => void flush(), policy.flush_ms).unref();
  }

  /** The PII handling of a request if it is known without waiting, else null. */
  function knownHandling(entry: InferenceEntry): PiiHandling | null {
    if (entry.err !== undefined || !entry.runId) return NO_PII;
    const columns = piiKnown.get(entry.runId);
    if (columns === undefined) return null;
    if (!columns?.size || policy.pii === "drop") return { columns, key: null };
    return keyKnown === undefined ? null : { columns, key: keyKnown };
  }

  async function handling(runId: string): Promise<PiiHandling> {
    if (!runId) return NO_PII;
    const columns = await piiOf(runId);
    if (!columns?.size || policy.pii === "drop") return { columns, key: null };
    return { columns, key: await keyOnce() };
  }

  function flush(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = null;
    if (Date.now() - policyCheckedAt > POLICY_CHECK_MS) {
      policyCheckedAt = Date.now();
      policyRead = policyRead.then(async () => {
        if ((await policyFileStamp()) !== policyStamp) await loadPolicy();
      });
    }
    const writes: Promise<unknown>[] = [];
    for (const d of deployments.values()) {
      if (!d.pending.length) continue;
      const batch = d.pending;
      const batchRows = d.rows;
      d.pending = [];
      d.rows = 0;
      d.chain = d.chain.then(async () => {
        await policyRead;
        let text = "";
        for (const item of batch) {
          if (typeof item === "string") {
            text += item;
            continue;
          }
          try {
            text += inferenceLines(item.entry, item.w, item.entry.err === undefined ? await handling(item.entry.runId) : NO_PII);
          } catch {
            // Its PII could not be read (reported): the request is not logged.
          }
        }
        buffered -= batchRows;
        if (buffered < MAX_BUFFERED_ROWS / 2) droppedReported = false;
        if (text) await d.requests.append(text);
      });
      writes.push(d.chain);
    }
    return Promise.all(writes).then(() => undefined);
  }

  async function feedback(name: string, alias: string, labels: readonly FeedbackInput[]): Promise<boolean> {
    await policyRead;
    const t = Date.now();
    const text = labels.map((l) => `${JSON.stringify({ t, id: l.request_id, row: l.row, label: l.label })}\n`).join("");
    return deployment(name, alias).feedback.append(text);
  }

  /** What is buffered and whose PII is known, written synchronously (at exit nothing async runs). */
  function flushSync(): void {
    for (const d of deployments.values()) {
      let text = "";
      for (const item of d.pending) {
        if (typeof item === "string") text += item;
        else {
          // A request whose PII handling is still unknown is left out rather than written in clear.
          const known = knownHandling(item.entry);
          if (known) text += inferenceLines(item.entry, item.w, known);
        }
      }
      buffered -= d.rows;
      d.pending = [];
      d.rows = 0;
      if (text) d.requests.appendSync(text);
    }
  }

  process.on("exit", flushSync);

  let closing: Promise<void> | null = null;
  function close(): Promise<void> {
    closing ??= (async () => {
      // The PII lookups under way finish first, so a request answered just before the close is kept.
      await Promise.allSettled([...pii.values()]);
      await flush();
      closed = true;
      process.off("exit", flushSync);
      await Promise.all([...deployments.values()].flatMap((d) => [d.requests.close(), d.feedback.close()]));
    })();
    return closing;
  }

  return { record, feedback, flush, close };
}
