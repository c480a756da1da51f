// Prints measurements beside their targets, for the benchmarks that hold the speed and memory
// bounds once asserted inside tests (a test asserts what the code does; how fast it does it on this
// machine, today, is the benchmark's to show).
import { cpus, loadavg } from "node:os";

/**
 * Prints a markdown table of `rows` ({ what, measured, target, ok }), with the machine and its load
 * (a busy machine measures slow), and answers how many rows missed their target. It exits with
 * nothing: `npm run bench` goes on to the next benchmark, and a missed target is read in the output.
 */
export function reportTargets(title, rows) {
  const missed = rows.filter((r) => !r.ok).length;
  const lines = [
    `\n### ${title}`,
    `${cpus().length} × ${cpus()[0]?.model ?? "unknown CPU"}, Node ${process.version}, load ${loadavg()[0].toFixed(2)}`,
    "",
    "| what | measured | target | |",
    "| --- | --- | --- | --- |",
    ...rows.map((r) => `| ${r.what} | ${r.measured} | ${r.target} | ${r.ok ? "ok" : "**MISSED**"} |`),
    "",
    missed ? `${missed} of ${rows.length} targets missed.` : `All ${rows.length} targets met.`,
  ];
  console.log(lines.join("\n"));
  return missed;
}
