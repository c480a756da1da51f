import type { Workspace } from "../../workspace/Workspace.js";
import { readRegistration, resolveAlias } from "../../registry/readRegistry.js";
import { requestsLogDir } from "../log/logPaths.js";
import { MonitoringPolicy, readMonitoringPolicy } from "../monitoringPolicy.js";
import { MonitoringRecord, monitoringRef } from "./MonitoringRecord.js";
import { createLogRowCounter, type LogRowCounter } from "./createLogRowCounter.js";
import { describe, recordCheck } from "./recordCheck.js";
import { type BaselineCache, runDriftCheck } from "./runDriftCheck.js";
import { startMonitoring } from "./startMonitoring.js";

/** Longest pause between two looks at the logs; shorter when the policy's every_minutes is short (tests). */
const MAX_TICK_MS = 1_000;
const MIN_TICK_MS = 100;
/** The same failure of the same deployment is logged at most this often. */
const REPEAT_LOG_MS = 60_000;

/** The drift monitor of a running dw serve. */
export interface Monitor {
  /** Stops scheduling checks and waits for the one under way. */
  close(): Promise<void>;
}

interface Watched {
  version: number;
  counter: LogRowCounter;
}

/**
 * Watches every deployed alias inside dw serve (one monitor per server: in its only process, or in
 * the primary when workers answer) and runs its drift checks on the policy's schedule. Each look
 * (every second at most) reads the monitoring policy, the deployed aliases and their monitoring
 * refs, and counts the rows appended to each inference log since the last look (createLogRowCounter:
 * only new bytes are read). A check is due when `every_requests` new rows of the version serving
 * arrived, or `every_minutes` passed since the last check (or the start) and at least `min_rows`
 * did; it compares the newest `window_rows` rows of that version with its run's reference
 * (runDriftCheck) and is committed with its alert state (recordCheck), one line in the server log.
 * An alias deployed without monitoring (productionize, or before monitoring existed) or serving
 * another version than the one monitored gets monitoring (re)started first, so the window counts
 * only rows of the version serving. The counts restart from the last committed check, so a
 * restarted server goes on where it stopped. A failing check is logged and the next one goes on;
 * nothing here throws into the server.
 *
 * @example
 * ```ts
 * const monitor = startMonitor(ws, { log });
 * // … on shutdown
 * await monitor.close();
 * ```
 */
export function startMonitor(ws: Workspace, options: { log: (line: string) => void; now?: () => Date }): Monitor {
  const now = options.now ?? (() => new Date());
  const watched = new Map<string, Watched>();
  const lastLogged = new Map<string, number>();
  const baselines: BaselineCache = new Map();
  let policy: MonitoringPolicy | null = null;
  let closed = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();

  const problem = (key: string, message: string) => {
    const k = `${key}\0${message}`;
    const t = Date.now();
    if ((lastLogged.get(k) ?? 0) + REPEAT_LOG_MS > t) return;
    // Messages may vary (they name files and versions): the memory of what was said stays small.
    if (lastLogged.size >= 1_000) lastLogged.clear();
    lastLogged.set(k, t);
    options.log(`dw serve: drift monitoring of ${key}: ${message}`);
  };

  async function tick(): Promise<void> {
    try {
      policy = (await readMonitoringPolicy(ws)).policy;
    } catch (e) {
      // A policy broken while the server runs: keep the last good one (or the defaults) and say so.
      problem("every deployment", `the monitoring policy cannot be read, so the last one read is used: ${messageOf(e)}`);
    }
    const drift = (policy ?? MonitoringPolicy.parse({})).drift;
    const deployments = await ws.listRefs("refs/dw/deployments").catch(() => [] as string[]);
    const seen = new Set<string>();
    for (const entry of deployments) {
      if (closed) return;
      const slash = entry.indexOf("/");
      if (slash < 0) continue;
      const model = entry.slice(0, slash);
      const alias = entry.slice(slash + 1);
      const key = `${model}@${alias}`;
      seen.add(key);
      try {
        await look(model, alias, key, drift);
      } catch (e) {
        problem(key, messageOf(e));
      }
    }
    for (const key of watched.keys()) if (!seen.has(key)) watched.delete(key);
    // References of runs no deployment serves any more are dropped.
    if (baselines.size > watched.size) baselines.clear();
  }

  async function look(model: string, alias: string, key: string, drift: MonitoringPolicy["drift"]): Promise<void> {
    const served = await resolveAlias(ws, model, alias);
    if (!served) {
      watched.delete(key);
      return;
    }
    const ref = monitoringRef(model, alias);
    const head = await ws.readRef(ref);
    let record = head ? await ws.readDocument(MonitoringRecord, head, "monitoring.json", ref) : null;
    if (!record || record.version !== served.version) {
      const reason = record
        ? `dw serve saw ${key} serve v${served.version} (monitoring watched v${record.version})`
        : `dw serve found ${key} deployed without drift monitoring`;
      const started = await ws.withLock(() => startMonitoring(ws, { model, alias, now: now(), reason }));
      if (!started) return;
      options.log(`dw serve: drift monitoring of ${key} started for v${started.record.version} (${reason}).`);
      record = started.record;
    }
    const version = record.version;
    let w = watched.get(key);
    if (!w || w.version !== version) {
      const after = Date.parse(record.last_check?.at ?? record.started_at);
      w = { version: record.version, counter: createLogRowCounter(requestsLogDir(ws.root, model, alias), Number.isFinite(after) ? after : 0) };
      watched.set(key, w);
    }
    await w.counter.poll();
    const rows = w.counter.rows(record.version);
    const lastAt = Date.parse(record.last_check?.at ?? record.started_at);
    const t = now();
    const due = rows >= drift.every_requests || (t.getTime() - lastAt >= drift.every_minutes * 60_000 && rows >= drift.min_rows);
    if (!due) return;
    // Rows that arrive while this check runs count toward the next one.
    w.counter.reset();
    const registration = await readRegistration(ws, served.commit);
    if (!registration?.run_id) throw new Error(`the registration of ${model} v${record.version} names no run, so there is no drift reference to compare with`);
    const result = await runDriftCheck(ws, {
      model,
      alias,
      version: record.version,
      runId: registration.run_id,
      sinceMs: Date.parse(record.started_at),
      drift,
      cache: baselines,
    });
    if (!result) {
      problem(key, `no logged rows of v${record.version} to check`);
      return;
    }
    const runId = registration.run_id;
    const done = await ws.withLock(() =>
      recordCheck(ws, {
        model,
        alias,
        version,
        run_id: runId,
        report: result.report,
        window: result.window,
        now: now(),
        schedule: { every_requests: drift.every_requests, every_minutes: drift.every_minutes, window_rows: drift.window_rows, min_rows: drift.min_rows },
      }),
    );
    if (!done) return;
    const alert = done.record.alert ? `ALERT since ${done.record.alert.since}` : "no alert";
    options.log(
      `dw serve: drift check ${done.record.checks} of ${key} v${record.version} on ${result.window.rows} rows: ${describe(result.report, done.record.last_check?.prediction_drift === true)} ${alert} (commit ${done.commit.slice(0, 10)}, ${Date.now() - t.getTime()} ms).`,
    );
  }

  const schedule = () => {
    if (closed) return;
    const minutes = policy?.drift.every_minutes ?? 60;
    const ms = Math.max(MIN_TICK_MS, Math.min(MAX_TICK_MS, (minutes * 60_000) / 5));
    timer = setTimeout(() => {
      running = tick()
        .catch((e: unknown) => problem("every deployment", messageOf(e)))
        .finally(schedule);
    }, ms);
    timer.unref();
  };
  running = tick()
    .catch((e: unknown) => problem("every deployment", messageOf(e)))
    .finally(schedule);

  return {
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
