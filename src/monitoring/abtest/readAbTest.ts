import type { Workspace } from "../../workspace/Workspace.js";
import { GateOverrideRecord } from "../../policy/GateOverrideRecord.js";
import { GovernanceReport } from "../../governance/policy/GovernanceReport.js";
import { deploymentRef, modelVersionRef } from "../../registry/refs.js";
import { readRegistration } from "../../registry/readRegistry.js";
import { isAlias } from "../../workspace/refNames.js";
import { AbTest, abTestRef, armGateFile, armOverrideFile } from "./AbTest.js";

/** A test as one commit holds it. */
export interface AbTestAt {
  commit: string;
  ref: string;
  test: AbTest;
}

/** A running test the server may split traffic by: each arm's registration commit and weight. */
export interface ServableAbTest {
  test: AbTest;
  commit: string;
  arms: { version: number; commit: string; weight: number }[];
}

/** The newest state of the A/B test behind `name@alias`, or null when there never was one (or its ref or abtest.json is unreadable). */
export async function readAbTest(ws: Workspace, name: string, alias: string): Promise<AbTestAt | null> {
  const ref = abTestRef(name, alias);
  const head = await ws.readRef(ref).catch(() => null);
  if (!head) return null;
  const test = await readAbTestAt(ws, head, name, alias);
  return test ? { commit: head, ref, test } : null;
}

/** abtest.json of one commit, when it is a test of this model and alias. */
export async function readAbTestAt(ws: Workspace, commit: string, name: string, alias: string): Promise<AbTest | null> {
  const test = await ws.readDocument(AbTest, commit, "abtest.json").catch(() => null);
  return test && test.model_name === name && test.alias === alias ? test : null;
}

/**
 * The running test the server splits `name@alias` by, or why it splits nothing (null, with the
 * reason for the log; null reason: there is no running test). Only what dw itself writes is
 * served: the test runs on the alias's last deployment (a deploy_model since ends the split),
 * its arms are distinct registered versions of this model, and each carries the deploy gate's
 * report for this very version and alias that passed, or an override record. A test commit
 * written by hand without them serves nothing beyond what the alias serves.
 */
export async function servableAbTest(ws: Workspace, name: string, alias: string): Promise<{ test: ServableAbTest | null; reason: string | null }> {
  const found = await readAbTest(ws, name, alias);
  if (!found || found.test.status !== "running") return { test: null, reason: null };
  const { test, commit } = found;
  const deployment = await ws.readRef(deploymentRef(name, alias)).catch(() => null);
  if (deployment !== test.deployment) return { test: null, reason: null };
  if (new Set(test.arms.map((a) => a.version)).size !== test.arms.length) return { test: null, reason: "names one version in two arms" };
  const arms: ServableAbTest["arms"] = [];
  for (const arm of test.arms) {
    const why = await armNotGated(ws, commit, name, alias, arm.version);
    if (why) return { test: null, reason: `arm v${arm.version} ${why}` };
    const oid = await ws.readRef(modelVersionRef(name, arm.version)).catch(() => null);
    const reg = oid ? await readRegistration(ws, oid) : null;
    if (!oid || !reg || reg.model_name !== name || reg.version !== arm.version)
      return { test: null, reason: `arm v${arm.version} is not a registered version` };
    arms.push({ version: arm.version, commit: oid, weight: arm.weight });
  }
  return { test: { test, commit, arms }, reason: null };
}

/** Why an arm's version did not pass the deploy gate for this alias in the test commit, or null when it did (passed, or overridden). */
async function armNotGated(ws: Workspace, commit: string, name: string, alias: string, version: number): Promise<string | null> {
  const report = await ws.readDocument(GovernanceReport, commit, armGateFile(version)).catch(() => null);
  if (!report) return "has no deploy gate report";
  const s = report.subject;
  if (s.kind !== "deployment" || s.model_name !== name || s.version !== version || s.alias !== alias) return "has a gate report of another version or alias";
  if (report.status !== "fail") return null;
  const override = await ws.readDocument(GateOverrideRecord, commit, armOverrideFile(version)).catch(() => null);
  return override ? null : "failed its deploy gate without an override";
}

/**
 * Versions of `name` that passed the deploy gate as an arm of an A/B test, in any commit of any of
 * its tests (as a deployment once named stays cleared, src/server/servedModels.ts), with the ref
 * heads they were read from so a caller can tell when to read again.
 */
export async function abTestArmVersions(ws: Workspace, name: string): Promise<{ heads: string[]; versions: Set<number> }> {
  const aliases = (await ws.listRefs(`refs/dw/abtests/${name}`)).filter((a) => !a.includes("/") && isAlias(a));
  const heads = await Promise.all(aliases.map((a) => ws.readRef(abTestRef(name, a)).catch(() => null)));
  const versions = new Set<number>();
  for (const [i, head] of heads.entries()) {
    const seen = new Set<string>();
    for (let oid = head; oid && !seen.has(oid); ) {
      seen.add(oid);
      const test = await readAbTestAt(ws, oid, name, aliases[i]);
      for (const arm of test?.arms ?? []) if (!(await armNotGated(ws, oid, name, aliases[i], arm.version))) versions.add(arm.version);
      oid = (await ws.readCommit(oid).catch(() => null))?.parents[0] ?? null;
    }
  }
  return { heads: heads.map((h) => h ?? "-"), versions };
}
