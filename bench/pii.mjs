#!/usr/bin/env node
// Speed of the PII scanner (scan_pii's engine): values scanned per second.
//
//   node bench/pii.mjs [--rows N]      (after `npx tsc -p .`; run from the repo root)
//
// Generates a seeded table of mixed columns (emails, phones, cards as text and as numbers, IBANs,
// SSNs, IPv4/IPv6, names and addresses under telling names, and look-alikes: GUIDs, order
// numbers, timestamps, versions, 7-digit integers, amounts), then times scanDatasetPii over
// every value (sample size = rows) and with the default 10,000-value sample. Prints a markdown
// table row per mode. Exits non-zero only on an error: it is a benchmark, not a test.
import { cpus, loadavg } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const { scanDatasetPii, scanDatasetPiiColumns, DEFAULT_PII_SAMPLE_SIZE } = await import(join(repo, "dist", "src", "governance", "pii", "scanDatasetPii.js"));

const argRows = process.argv.indexOf("--rows");
const ROWS = argRows > 0 ? Number(process.argv[argRows + 1]) : 100_000;

function random(seed) {
  let t = seed >>> 0;
  return () => {
    t = (t + 0x9e3779b9) >>> 0;
    let r = Math.imul(t ^ (t >>> 16), 0x85ebca6b);
    r = Math.imul(r ^ (r >>> 13), 0xc2b2ae35);
    return ((r ^ (r >>> 16)) >>> 0) / 4294967296;
  };
}
const rnd = random(42);
const int = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));
const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
const digits = (n) => {
  let s = "";
  for (let i = 0; i < n; i++) s += int(0, 9);
  return s;
};
const hex = (n) => {
  let s = "";
  for (let i = 0; i < n; i++) s += "0123456789abcdef"[int(0, 15)];
  return s;
};
const luhnDigit = (body) => {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
};
const iban = () => {
  const bban = digits(18);
  const check = String(98n - (BigInt(bban + "131400") % 97n)).padStart(2, "0");
  return `DE${check}${bban}`;
};
const FIRST = ["James", "Mary", "José", "Aoife", "Wei", "Olga"];
const LAST = ["Smith", "García", "Müller", "O'Brien", "Nguyen"];

const MAKERS = {
  email: () => `${pick(FIRST).toLowerCase()}.${int(1, 9999)}@example.com`,
  contact: () => (rnd() < 0.5 ? `${pick(LAST).toLowerCase()}${int(1, 99)}@mail.example.org` : `+44 20 ${digits(4)} ${digits(4)}`),
  phone: () => `(${int(2, 9)}${digits(2)}) ${int(2, 9)}${digits(2)}-${digits(4)}`,
  card_text: () => {
    const b = `4${digits(14)}`;
    return (b + luhnDigit(b)).replace(/(\d{4})(?=\d)/g, "$1 ");
  },
  payee_iban: iban,
  tax_ref: () => `${String(int(1, 665)).padStart(3, "0")}-${String(int(1, 99)).padStart(2, "0")}-${String(int(1, 9999)).padStart(4, "0")}`,
  client_ip: () => `${int(1, 223)}.${int(0, 255)}.${int(0, 255)}.${int(1, 254)}`,
  peer_ipv6: () => `2001:db8::${hex(4)}:${hex(3)}`,
  full_name: () => `${pick(FIRST)} ${pick(LAST)}`,
  shipping_address: () => `${int(1, 999)} Main Street, Springfield ${digits(5)}`,
  order_uuid: () => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`,
  order_no: () => `ORD-2024-${digits(6)}`,
  created_at: () => `2024-0${int(1, 9)}-1${int(0, 9)}T1${int(0, 9)}:${int(10, 59)}:${int(10, 59)}Z`,
  app_version: () => `${int(1, 9)}.${int(0, 20)}.${int(0, 30)}`,
};
const NUMBER_MAKERS = {
  card_number: () => {
    const b = `5${int(1, 5)}${digits(13)}`;
    return Number(b + luhnDigit(b));
  },
  quantity: () => int(1_000_000, 9_999_999),
  amount: () => Math.round(rnd() * 1e7) / 100,
};

const columns = [];
for (const [name, make] of Object.entries(MAKERS)) {
  const values = new Array(ROWS);
  for (let i = 0; i < ROWS; i++) values[i] = make();
  // Flat strings, as a CSV parser hands them over (concatenation leaves ropes that V8 flattens on first read).
  columns.push({ name, type: "string", values: JSON.parse(JSON.stringify(values)), nulls: 0 });
}
for (const [name, make] of Object.entries(NUMBER_MAKERS)) {
  const values = new Float64Array(ROWS);
  for (let i = 0; i < ROWS; i++) values[i] = make();
  columns.push({ name, type: "number", values, nulls: 0 });
}
const ds = { columns, rows: ROWS };
const totalValues = ROWS * columns.length;

/** Median wall time and median CPU time (user + system) of `repeat` runs: the machine may be shared, and CPU time is what the scan itself costs. */
function time(fn, repeat) {
  const walls = [];
  const cpus = [];
  let out;
  for (let r = 0; r < repeat; r++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    out = fn();
    walls.push(Number(process.hrtime.bigint() - t0) / 1e9);
    const c = process.cpuUsage(c0);
    cpus.push((c.user + c.system) / 1e6);
  }
  const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return { seconds: median(walls), cpu: median(cpus), out };
}

scanDatasetPii(ds, { sampleSize: 2000 }); // warm-up: let the JIT compile the detectors
const full = time(() => scanDatasetPiiColumns(ds, { sampleSize: ROWS }), 3);
const scanned = full.out.reduce((s, c) => s + c.sampled, 0);
const sampled = time(() => scanDatasetPiiColumns(ds), 3);
const sampledValues = sampled.out.reduce((s, c) => s + c.sampled, 0);
const findings = full.out.flatMap((c) => c.findings);

const rate = (v, s) => Math.round(v / s).toLocaleString("en-US");
console.log(
  `# scan_pii benchmark: ${ROWS.toLocaleString("en-US")} rows × ${columns.length} columns = ${totalValues.toLocaleString("en-US")} values; node ${process.version}, ${cpus()[0]?.model ?? "cpu"}; median of 3; load average ${loadavg()[0].toFixed(2)} on ${cpus().length} cores`,
);
console.log(`# findings (full scan): ${findings.map((f) => `${f.column}:${f.entity}`).join(", ")}`);
console.log("");
console.log("| case | values scanned | wall time | values / s (wall) | CPU time | values / s (CPU) |");
console.log("| --- | ---: | ---: | ---: | ---: | ---: |");
const row = (what, n, t) =>
  console.log(`| ${what} | ${n.toLocaleString("en-US")} | ${t.seconds.toFixed(3)} s | ${rate(n, t.seconds)} | ${t.cpu.toFixed(3)} s | ${rate(n, t.cpu)} |`);
row(`scan_pii, every value (${columns.length} columns × ${ROWS.toLocaleString("en-US")} rows)`, scanned, full);
row(`scan_pii, default sample (${DEFAULT_PII_SAMPLE_SIZE.toLocaleString("en-US")} per column, incl. sampling)`, sampledValues, sampled);
