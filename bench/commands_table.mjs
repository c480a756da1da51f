// The table and the docs section of bench/commands.mjs, from its measurements: one row per command,
// dw beside its Python peer, the ratio, the target and whether it was met.

const sec = (s) => (s < 1 ? `${(s * 1000).toFixed(0)} ms` : `${s.toFixed(2)} s`);
const ms = (x) => `${x.toFixed(2)} ms`;
const mb = (x) => (x === null ? "" : x.toFixed(0));

/**
 * Answers { text, rows, missed }: the markdown table of `m` (bench/commands.mjs's measurements),
 * best time of N and the largest peak memory of N for each side; `rows` counts the rows with a target. A target is either a ratio to the
 * peer in the same row (`ratio`) or an absolute bound on dw's figure (`under`).
 */
export function commandsTable(m) {
  const fit = (r) => r.json.timings.fit_s;
  const rows = [
    {
      what: "CLI start-up: `dw --version`",
      dw: best(m.version),
      show: sec,
      peer: `— (\`node -e 0\` alone: ${sec(best(m.nodeBare))})`,
      under: 0.2,
      dwMb: peak(m.version),
    },
    {
      what: "`dw load_dataset` of the 1M × 20 CSV, first load into a fresh workspace",
      dw: best(m.load),
      show: sec,
      peer: `python: import pandas + \`read_csv\` (\`read_csv\` alone ${sec(best(m.pyRead, (r) => r.json.read_s))})`,
      py: best(m.pyRead),
      ratio: 0.5,
      dwMb: peak(m.load),
      pyMb: peak(m.pyRead),
    },
    {
      what: "`dw load_dataset` of the same unchanged file again (cache hit)",
      dw: best(m.again),
      show: sec,
      peer: "the same Python process (pandas has no cache)",
      py: best(m.pyRead),
      dwMb: peak(m.again),
      pyMb: peak(m.pyRead),
    },
    {
      what: "`dw run_quality_check --dataset_id …` after the load",
      dw: best(m.quality),
      show: sec,
      peer: `python: \`read_csv\` + \`describe()\`, \`isna().sum()\`, \`duplicated().sum()\`, \`value_counts()\` of non-numeric columns (statistics alone ${sec(best(m.pyQuality, (r) => r.json.stats_s))})`,
      py: best(m.pyQuality),
      ratio: 0.5,
      dwMb: peak(m.quality),
      pyMb: peak(m.pyQuality),
    },
    {
      what: "`dw train_model --target y --algorithm linear_regression`, whole command (gates, evaluation, commit)",
      dw: best(m.train),
      show: sec,
      peer: "python: `read_csv` + 80/20 `train_test_split` + `LinearRegression().fit` + R² on the test rows",
      py: best(m.pyTrain),
      ratio: 1.0,
      dwMb: peak(m.train),
      pyMb: peak(m.pyTrain),
    },
    {
      what: "`dw load_dataset` + `dw train_model`, two commands",
      dw: best(m.loadTrain),
      show: sec,
      peer: "the same one Python process",
      py: best(m.pyTrain),
      dwMb: peak(m.loadTrain),
      pyMb: peak(m.pyTrain),
    },
    {
      what: `of which \`timings.fit_s\` (${m.trainRows.toLocaleString("en-US")} train rows)`,
      dw: best(m.train, fit),
      show: sec,
      peer: `dw's bare \`fitLinear\` on the same rows, cold in a fresh process (warm: ${sec(best(m.bareLinear, (r) => r.json.warm_s))})`,
      py: best(m.bareLinear, (r) => r.json.cold_s),
      ratio: 1.2,
      dwMb: peak(m.train),
      pyMb: peak(m.bareLinear),
    },
    {
      what: "the same `timings.fit_s`",
      dw: best(m.train, fit),
      show: sec,
      peer: "`LinearRegression().fit` inside the Python process",
      py: best(m.pyTrain, (r) => r.json.fit_s),
    },
    {
      what: `\`timings.fit_s\` of \`dw train_model --algorithm logistic_regression\`, 100,000 × 20 (${m.logitRows.toLocaleString("en-US")} train rows)`,
      dw: best(m.logit, fit),
      show: sec,
      peer: "`LogisticRegression().fit` inside the Python process",
      py: best(m.pyLogit, (r) => r.json.fit_s),
      dwMb: peak(m.logit),
      pyMb: peak(m.pyLogit),
    },
    {
      what: "the same `timings.fit_s`",
      dw: best(m.logit, fit),
      show: sec,
      peer: "dw's bare `LogisticRegression.fit` on the same rows, cold in a fresh process",
      py: best(m.bareLogit, (r) => r.json.cold_s),
      ratio: 1.2,
      pyMb: peak(m.bareLogit),
    },
    {
      what: "`train_model` on seattle-weather.csv (1,461 rows), the second call in one process (as the kernel calls it)",
      dw: best(m.small, (r) => r.json.warm_s),
      show: sec,
      peer: "python: the same script's second run in one process (`read_csv`, dates and one-hot, split, fit, score)",
      py: best(m.pySmall, (r) => r.json.warm_s),
      under: 0.05,
      dwMb: peak(m.small),
      pyMb: peak(m.pySmall),
    },
    {
      what: "`dw train_model` on seattle-weather.csv, whole command through the CLI",
      dw: best(m.smallCli),
      show: sec,
      peer: "python: the same script, whole process",
      py: best(m.pySmallCli),
      dwMb: peak(m.smallCli),
      pyMb: peak(m.pySmallCli),
    },
    {
      what: `\`log_metrics\`, per call (${m.log[0].json.calls} calls in one process, as the kernel calls it: appends, then the fold before idle)`,
      dw: best(m.log, (r) => r.json.per_call_ms) / 1000,
      show: (s) => ms(s * 1000),
      peer: `\`mlflow.log_metric\`, per call (MLflow ${m.versions.mlflow} file store, ${m.pyLog[0].json.calls} calls)`,
      py: best(m.pyLog, (r) => r.json.per_call_ms) / 1000,
      under: 0.002,
      dwMb: peak(m.log),
      pyMb: peak(m.pyLog),
    },
    {
      what: "dw kernel: start → first `execute_reply` (`1+1`), jupyter_client's KernelManager",
      dw: best(m.kernel, (r) => r.json.first_reply_s),
      show: sec,
      peer: "the python3 kernel (ipykernel), the same way",
      py: best(m.pyKernel, (r) => r.json.first_reply_s),
      under: 1.5,
      dwMb: peak(m.kernel),
      pyMb: peak(m.pyKernel),
    },
  ];
  let missed = 0;
  let targets = 0;
  const lines = [
    "| command | dw | peer: what a Python user runs instead (or dw's own bare fit) | peer | dw ÷ peer | target | met | dw peak MB | peer peak MB |",
    "| --- | ---: | --- | ---: | ---: | ---: | :---: | ---: | ---: |",
  ];
  for (const r of rows) {
    const ratio = r.py === undefined ? null : r.dw / r.py;
    let target = "—";
    let met = "";
    if (r.ratio !== undefined || r.under !== undefined) {
      const ok = r.ratio !== undefined ? ratio <= r.ratio : r.dw <= r.under;
      target = r.ratio !== undefined ? `≤ ${r.ratio.toFixed(1)}×` : `≤ ${r.show(r.under)}`;
      met = ok ? "yes" : "**no**";
      targets++;
      if (!ok) missed++;
    }
    lines.push(
      `| ${r.what} | ${r.show(r.dw)} | ${r.peer} | ${r.py === undefined ? "" : r.show(r.py)} | ${ratio === null ? "" : `${ratio.toFixed(2)}×`} | ${target} | ${met} | ${mb(r.dwMb ?? null)} | ${mb(r.pyMb ?? null)} |`,
    );
  }
  return { text: lines.join("\n"), rows: targets, missed };
}

/** The docs section: how it was measured, the table, and the breakdowns behind its rows. */
export function commandsSection(machine, m, table) {
  const t = m.train.reduce((a, b) => (b.seconds < a.seconds ? b : a)).json.timings;
  const p = m.pyTrain.reduce((a, b) => (b.seconds < a.seconds ? b : a)).json;
  const w = m.small.reduce((a, b) => (b.json.warm_s < a.json.warm_s ? b : a)).json.timings;
  const f = (x) => x.toFixed(3);
  return [
    "## Whole commands against what a Python user runs (issue 18)",
    "",
    "`node bench/commands.mjs --write` (part of `npm run bench`). A user does not wait for a bare fit but",
    "for a command; each dw row here is the whole command, each Python row the script a competent",
    "pandas / scikit-learn / MLflow / Jupyter user writes for the same answer, both in the same run.",
    "",
    `- **Data**: a seeded 1,000,000 × 20 numeric CSV (x0..x18 ~ N(0, 1), y = X·β + N(0, 1), 6 decimals,`,
    `  ${(m.sizes.big / 1e6).toFixed(0)} MB) and a 100,000 × 21 one (x0..x19 and a 0/1 target; ${(m.sizes.logit / 1e6).toFixed(0)} MB) for logistic regression, generated once into`,
    "  `$TMPDIR/dw-bench-commands/` (bench/lib/numericCsv.mjs), with the same numbers as raw float64",
    "  for the bare fits; and examples/data/seattle-weather.csv (1,461 rows, a date and a text column).",
    "- **dw**: `node bin/dw.js <tool> …` in a fresh `git init`ed workspace: start-up, reading, every",
    "  gate and the commit included. For each repetition one workspace runs `load_dataset` then",
    "  `train_model` (so the two-command row is exactly that), another `load_dataset`,",
    "  `run_quality_check`, then `load_dataset` of the same file again; both first loads count. Each",
    "  repetition runs every dw command and its peer one after the other, so a change in the",
    "  machine's load during the run falls on both sides.",
    '  Rows marked "in one process" call `runTool` as the kernel does (bench/commands_child.mjs).',
    "- **Python**: `python bench/commands_python.py MODE` (.venv; MLflow from .venv-bench), timed as a",
    "  whole process, imports included; the times it measures inside are shown where they matter.",
    "- **Kernels**: jupyter_client's `KernelManager` (as Jupyter Server starts one) in a fresh",
    "  workspace: start, `kernel_info`, then `1+1`; the time to its `execute_reply`.",
    `- Times are the best of ${machine.repeat}; peak memory is the largest over the runs of the whole`,
    "  process tree's resident memory (sampled every 20 ms, and GNU time's exact high-water mark of the",
    "  largest process: bench/lib/timeWithPeak.mjs), MB of 2^20 bytes; a kernel's tree includes the",
    "  Python client that started it, on both sides. A ratio target compares dw with the peer in the",
    "  same row; the other targets bound dw's own figure.",
    "",
    `Measured ${machine.when} UTC by \`node bench/commands.mjs${machine.write ? " --write" : ""}\` on ${machine.cpu}, Node ${machine.node}, Python ${m.versions.python.split(" ")[0]}, pandas ${m.versions.pandas}, scikit-learn ${m.versions.python.split(" ")[1]}; dw at ${machine.commit}; one-minute load average ${machine.load}; ${machine.minutes.toFixed(1)} min in all. The machine was shared: compare ratios.`,
    "",
    table.text,
    "",
    `${table.missed} of ${table.rows} targets missed.`,
    "",
    `- \`train_model\` 1M × 20, the fastest run's \`timings\`: load ${f(t.load_s)} s, fit ${f(t.fit_s)} s, evaluate ${f(t.evaluate_s)} s, total ${f(t.total_s)} s (of the command's ${f(best(m.train))} s); Python's: \`read_csv\` ${f(p.read_s)} s, fit ${f(p.fit_s)} s, score ${f(p.evaluate_s)} s, in ${f(p.total_s)} s of its process's ${f(best(m.pyTrain))} s.`,
    `- seattle-weather \`train_model\` in one process: first call ${f(best(m.small, (r) => r.json.first_s))} s, second ${f(best(m.small, (r) => r.json.warm_s))} s (its \`timings\`: load ${f(w.load_s)}, fit ${f(w.fit_s)}, evaluate ${f(w.evaluate_s)}, total ${f(w.total_s)} s).`,
    `- bare fits, cold / warm: \`fitLinear\` ${f(best(m.bareLinear, (r) => r.json.cold_s))} / ${f(best(m.bareLinear, (r) => r.json.warm_s))} s; \`LogisticRegression.fit\` ${f(best(m.bareLogit, (r) => r.json.cold_s))} / ${f(best(m.bareLogit, (r) => r.json.warm_s))} s.`,
  ].join("\n");
}

/** The best (smallest) of the runs' figures: the run the machine disturbed least. */
function best(runs, f = (r) => r.seconds) {
  return Math.min(...runs.map(f));
}

/** The largest peak memory over the runs: memory does not get smaller by repeating. */
function peak(runs) {
  return Math.max(...runs.map((r) => r.peakMb));
}
