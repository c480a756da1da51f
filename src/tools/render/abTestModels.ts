import { html, type Html } from "../../render/html.js";
import { fmt, kv, note, section, table, title } from "../../render/blocks.js";
import type { OutputOf } from "../defineTool.js";
import type { abTestModels } from "../abTestModels.js";

const pct = (x: number) => `${Number((x * 100).toPrecision(3))}%`;

/** An A/B test: its arms and gates, then per-arm results, the pairwise tests and the decision; on start, how clients get a sticky arm. */
export function renderAbTestModels(o: OutputOf<typeof abTestModels>): Html {
  const verb = { start: o.changed_at && o.status === "running" ? "Changed" : "Started", status: "A/B test", promote: "Promoted", stop: "Stopped" }[o.action];
  const head = title(
    html`${verb} <code>${o.model_name}@${o.alias}</code>: ${o.arms.map((a) => `v${a.version} ${pct(a.share)}`).join(" / ")}`,
    `${o.status}${o.splitting ? ", splitting traffic" : ""} · metric ${o.metric}, ≥ ${o.min_sample_size} labelled rows per arm${o.duration_hours !== null ? `, ${o.duration_hours} h` : ""} · started ${o.started_at} by ${o.started_by} · commit ${o.commit.slice(0, 12)}`,
  );
  const gates = table(
    ["arm", "weight", "share", "deploy gate"],
    o.arms.map((a) => [`v${a.version}`, fmt(a.weight), pct(a.share), `${a.gate.status} (${a.gate.decision})${a.gate.overridden ? ", overridden" : ""}`]),
  );
  const r = o.results;
  const results = r
    ? html`${section("Results per arm")}${table(
        ["arm", "requests", "errors", "p50 ms", "p99 ms", "predictions", "labelled", o.metric],
        r.arms.map((a) => [
          `v${a.version}`,
          fmt(a.requests),
          fmt(a.errors),
          fmt(a.latency_ms?.p50 ?? null),
          fmt(a.latency_ms?.p99 ?? null),
          a.predictions === null
            ? "—"
            : a.predictions.kind === "number"
              ? `mean ${Number(a.predictions.mean.toPrecision(4))}, sd ${Number(a.predictions.sd.toPrecision(3))}`
              : Object.entries(a.predictions.shares)
                  .slice(0, 4)
                  .map(([c, s]) => `${c} ${pct(s)}`)
                  .join(", "),
          fmt(a.labelled),
          fmt(a.metric),
        ]),
      )}${r.comparisons.length ? section("Sequential tests (always-valid p-values)") : ""}${table(
        ["pair", "difference (b − a)", "p-value", "threshold", "better"],
        r.comparisons.map((c) => [`v${c.a} vs v${c.b}`, fmt(c.difference), fmt(c.p_value), fmt(c.threshold), c.better === null ? "—" : `v${c.better}`]),
      )}${kv([["decision", html`<b>${r.decision.kind.replaceAll("_", " ")}</b>: ${r.decision.message}`]])}`
    : "";
  const a = o.assignment;
  const assign = a
    ? kv([
        ["endpoint", a.endpoint_url ?? "no server runs"],
        ["sticky arm", html`header <code>${a.header}</code>: ${a.how}`],
        ["feedback", a.feedback_url ?? "—"],
      ])
    : "";
  const ended = o.ended ? kv([["ended", `${o.ended.at} by ${o.ended.by}${o.ended.winner !== null ? `, winner v${o.ended.winner}` : ""}`]]) : "";
  return html`${head}${gates}${assign}${results}${ended}${note(`git log ${o.ref}`)}`;
}
