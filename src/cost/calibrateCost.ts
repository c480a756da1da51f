import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { cpus, arch, platform, homedir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { Workspace } from "../workspace/Workspace.js";
import { atomicWrite } from "../workspace/atomicWrite.js";
import { documentText } from "../workspace/documentText.js";
import { DW_VERSION } from "../version.js";
import type { Estimator, Task } from "../models/estimators.js";
import { workUnits, type JobShape } from "./costModel.js";
import type { ProbeRequest, ProbeResult } from "./calibrationProbe.js";

const run = promisify(execFile);
const PROBE = fileURLToPath(new URL("./calibrationProbe.js", import.meta.url));
export const CALIBRATION_FILE = "cost-calibration.json";
const FORMAT = "dw.cost-calibration/1";

/** What the constants were measured on: a change of any of these means measuring again. */
export interface MachineKey {
  cpu_model: string;
  cpus: number;
  platform: string;
  arch: string;
  node: string;
  dw_version: string;
  /** FIT_REVISION when measured. */
  fit_revision: number;
}

/**
 * The revision of the fitting code, part of the machine key: bumped when fits get faster or
 * slower or need more or less memory (2: the WebAssembly kernels; 3: trees held as compact typed
 * arrays, logistic regression without a copy of X), so a calibration measured with older code is
 * measured again rather than trusted, even under the same dw version.
 */
const FIT_REVISION = 3;

export interface LinearFit {
  /** Fixed part: seconds, or bytes. */
  a: number;
  /** Per work unit. */
  b: number;
}

export interface CalibrationPoint {
  rows: number;
  features: number;
  hyperparameters: Record<string, unknown>;
  seconds: number;
  cpu_s: number;
  wall_s: number;
  fit_peak_bytes: number;
  iterations?: number;
}

export interface CalibratedEstimator {
  time: LinearFit;
  memory: LinearFit;
  typical_iterations?: number;
  points: CalibrationPoint[];
}

export interface Calibration {
  format: typeof FORMAT;
  machine: MachineKey;
  calibrated_at: string;
  took_s: number;
  /** Resident bytes of a process with dw's trainers loaded. */
  base_bytes: number;
  /** Keyed "<estimator>:<task>" (see calibrationKey). */
  estimators: Record<string, CalibratedEstimator>;
}

/**
 * Two sizes per estimator, each a second or less here: small enough that calibrating takes
 * seconds, far enough apart that the slope is not noise. Trees are measured for both tasks: a
 * classification tree stops at pure leaves, a regression tree grows to single rows, so their node
 * counts (time and memory) differ by several times. Forests and boosting get few trees; the work
 * units scale by the trees a real job asks for.
 */
const PLAN: { estimator: Estimator; task: Task; hyperparameters: Record<string, unknown>; sizes: [number, number][] }[] = [
  {
    estimator: "linear_regression",
    task: "regression",
    hyperparameters: {},
    sizes: [
      [5_000, 8],
      [100_000, 32],
    ],
  },
  {
    estimator: "logistic_regression",
    task: "classification",
    hyperparameters: {},
    sizes: [
      [4_000, 8],
      [40_000, 16],
    ],
  },
  {
    estimator: "decision_tree",
    task: "regression",
    hyperparameters: {},
    sizes: [
      [3_000, 8],
      [60_000, 8],
    ],
  },
  {
    estimator: "decision_tree",
    task: "classification",
    hyperparameters: {},
    sizes: [
      [3_000, 8],
      [60_000, 8],
    ],
  },
  {
    estimator: "random_forest",
    task: "regression",
    hyperparameters: { n_estimators: 3 },
    sizes: [
      [2_000, 8],
      [12_000, 8],
    ],
  },
  {
    estimator: "random_forest",
    task: "classification",
    hyperparameters: { n_estimators: 3 },
    sizes: [
      [2_000, 8],
      [30_000, 8],
    ],
  },
  {
    estimator: "gradient_boosting",
    task: "regression",
    hyperparameters: { max_iter: 10, early_stopping: false },
    sizes: [
      [2_000, 8],
      [80_000, 8],
    ],
  },
];

/** Where a job's constants are: its own task's when measured, else the estimator's other task's. */
export function calibratedFor(cal: Calibration, estimator: Estimator, task: Task): CalibratedEstimator {
  return cal.estimators[calibrationKey(estimator, task)] ?? cal.estimators[calibrationKey(estimator, task === "regression" ? "classification" : "regression")];
}

const calibrationKey = (estimator: Estimator, task: Task) => `${estimator}:${task}`;

export function machineKey(): MachineKey {
  const c = cpus();
  return {
    cpu_model: c[0]?.model ?? "unknown",
    cpus: c.length,
    platform: platform(),
    arch: arch(),
    node: process.versions.node,
    dw_version: DW_VERSION,
    fit_revision: FIT_REVISION,
  };
}

/** The workspace's calibration when it was made on this machine and dw version, else null. */
export async function readCalibration(ws: Workspace): Promise<Calibration | null> {
  return readCalibrationFile(join(ws.dwDir, CALIBRATION_FILE));
}

/**
 * Where a calibration is also kept for the whole machine: DW_CACHE_DIR, else ~/.cache/dw. The
 * measurement is of the machine, not of the project, so a new workspace on the same machine and
 * dw version starts from it instead of measuring again (several seconds); it still keeps its own copy.
 */
export function machineCalibrationFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.DW_CACHE_DIR || join(homedir(), ".cache", "dw"), CALIBRATION_FILE);
}

async function readCalibrationFile(file: string): Promise<Calibration | null> {
  let cal: Calibration;
  try {
    cal = JSON.parse(await readFile(file, "utf8")) as Calibration;
  } catch {
    return null;
  }
  const key = machineKey();
  const same = cal?.format === FORMAT && cal.machine && (Object.keys(key) as (keyof MachineKey)[]).every((k) => cal.machine[k] === key[k]);
  return same && cal.estimators && PLAN.every((p) => cal.estimators[calibrationKey(p.estimator, p.task)]) ? cal : null;
}

/** The calibration to use: the stored one if it fits this machine, else a new measurement (stored atomically). */
export async function ensureCalibration(ws: Workspace, now: Date): Promise<{ calibration: Calibration; fresh: boolean }> {
  const stored = await readCalibration(ws);
  if (stored) return { calibration: stored, fresh: false };
  const own = join(ws.dwDir, CALIBRATION_FILE);
  const machine = await readCalibrationFile(machineCalibrationFile());
  if (machine) {
    await atomicWrite(own, documentText(machine));
    return { calibration: machine, fresh: false };
  }
  const calibration = await calibrateCost(now);
  const text = documentText(calibration);
  await atomicWrite(own, text);
  // The machine-wide copy is a convenience: a read-only home must not fail the gate.
  await atomicWrite(machineCalibrationFile(), text).catch(() => undefined);
  return { calibration, fresh: true };
}

/** Measures each estimator at two sizes with the real trainers, one process per fit, and fits the constants. */
export async function calibrateCost(now: Date): Promise<Calibration> {
  const t0 = performance.now();
  let base = Infinity;
  const estimators = {} as Calibration["estimators"];
  // One process per fit, so each peak is measured in a clean process; two at a time, since CPU
  // time (not wall time) is what is measured, so they do not skew each other.
  const jobs = PLAN.flatMap((plan) =>
    plan.sizes.map(([rows, features]) => ({ estimator: plan.estimator, task: plan.task, rows, features, hyperparameters: plan.hyperparameters })),
  );
  const results: ProbeResult[] = new Array(jobs.length);
  let next = 0;
  const lane = async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = (await probe([jobs[i]]))[0];
    }
  };
  await Promise.all([lane(), lane()]);
  let j = 0;
  for (const plan of PLAN) {
    const points: CalibrationPoint[] = plan.sizes.map(([rows, features]) => {
      const r = results[j++];
      base = Math.min(base, r.base_bytes);
      return {
        rows,
        features,
        hyperparameters: plan.hyperparameters,
        seconds: probeSeconds(r),
        cpu_s: r.cpu_s,
        wall_s: r.wall_s,
        fit_peak_bytes: r.fit_peak_bytes,
        ...(r.iterations !== undefined ? { iterations: r.iterations } : {}),
      };
    });
    const typical = plan.estimator === "logistic_regression" ? points.reduce((s, p) => s + (p.iterations ?? 0), 0) / points.length : undefined;
    const shape = (p: CalibrationPoint): JobShape => ({
      estimator: plan.estimator,
      task: plan.task,
      rows: p.rows,
      features: p.features,
      classes: 2,
      hyperparameters: p.hyperparameters,
    });
    const work = points.map((p) => workUnits(shape(p), typical));
    estimators[calibrationKey(plan.estimator, plan.task)] = {
      time: fitLine(
        work.map((w) => w.time),
        points.map((p) => p.seconds),
      ),
      memory: fitLine(
        work.map((w) => w.memory),
        points.map((p) => p.fit_peak_bytes),
        1,
      ),
      ...(typical !== undefined ? { typical_iterations: typical } : {}),
      points,
    };
  }
  return {
    format: FORMAT,
    machine: machineKey(),
    calibrated_at: now.toISOString(),
    took_s: Math.round(performance.now() - t0) / 1000,
    base_bytes: base,
    estimators,
  };
}

/** Runs measured fits, smallest first, in a process of their own (see calibrationProbe.ts). */
export async function probe(reqs: ProbeRequest[]): Promise<ProbeResult[]> {
  const { stdout } = await run(process.execPath, [PROBE, JSON.stringify(reqs)], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split("\n").pop()!) as ProbeResult[];
}

/**
 * The seconds a fit takes on an otherwise idle core: the lesser of CPU time (which parallel GC
 * threads inflate) and wall time (which other processes on a busy machine inflate).
 */
export function probeSeconds(r: ProbeResult): number {
  return Math.min(r.cpu_s, r.wall_s);
}

/**
 * y ≈ a + b·x through two (or more: least squares) points, with a ≥ 0 and b > 0 so that more work
 * never costs less. When noise swamps the slope (the fixed part dominates, as a worker's start
 * does at small sizes), the fixed part takes the largest measurement and the slope its floor.
 */
export function fitLine(x: number[], y: number[], floor = 1e-12): LinearFit {
  const n = x.length;
  const mx = x.reduce((s, v) => s + v, 0) / n;
  const my = y.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
  }
  const b = sxx > 0 ? sxy / sxx : 0;
  if (!(b > floor)) return { a: Math.max(0, ...y), b: floor };
  const a = my - b * mx;
  if (a >= 0) return { a, b };
  const xMax = Math.max(...x);
  return { a: 0, b: Math.max(floor, y[x.indexOf(xMax)] / xMax) };
}
