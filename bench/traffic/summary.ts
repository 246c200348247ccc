import { failed, type Sample } from "./load.js";
import type { PathResult } from "./paths.js";

/**
 * What a path's samples say: failures by status or connection error, who served each tenth of the run, and
 * whether the verification header reached the revision that served before the path began.
 */
export interface Verdict {
  requests: number;
  failures: Sample[];
  /** The revision most of the first half second's answers came from. */
  oldRevision?: string;
  /** Header requests answered through the verification rule by the old revision (routed wrong). */
  headerViaRuleByOld: Sample[];
  /** Header requests answered by the old revision through the default rule after the rule first answered (the rule was gone). */
  headerViaDefaultByOld: Sample[];
}

const tally = (xs: Sample[]) => xs.reduce<Record<string, number>>((acc, s) => ((acc[s.revision ?? String(s.outcome)] = (acc[s.revision ?? String(s.outcome)] ?? 0) + 1), acc), {});

export function verdictOf(result: PathResult): Verdict {
  const sorted = [...result.samples].sort((a, b) => a.t - b.t);
  const old = Object.entries(tally(sorted.filter((s) => s.t < 500 && s.revision))).sort((a, b) => b[1] - a[1])[0]?.[0];
  const header = sorted.filter((s) => s.header);
  const first = header.find((s) => s.rule !== undefined && s.rule !== "default");
  const after = first ? header.filter((s) => s.t >= first.t) : [];
  const viaRule = (s: Sample) => s.rule !== undefined && s.rule !== "default";
  const byOld = (s: Sample) => old !== undefined && s.revision === old;
  return {
    requests: sorted.length,
    failures: sorted.filter(failed),
    ...(old !== undefined && { oldRevision: old }),
    headerViaRuleByOld: after.filter((s) => viaRule(s) && byOld(s)),
    headerViaDefaultByOld: after.filter((s) => !viaRule(s) && byOld(s)),
  };
}

export function summarise(result: PathResult, headerName: string): string[] {
  const out: string[] = [];
  const sorted = [...result.samples].sort((a, b) => a.t - b.t);
  const span = Math.max(1, ...sorted.map((s) => s.t));
  const verdict = verdictOf(result);
  out.push(`== ${result.name}: ${result.seconds.toFixed(1)} s; ${result.exits.join("; ")}`);
  for (const header of [false, true]) {
    const mine = sorted.filter((s) => s.header === header);
    const fails = mine.filter(failed);
    const byCode = fails.reduce<Record<string, number>>((acc, s) => ((acc[String(s.outcome)] = (acc[String(s.outcome)] ?? 0) + 1), acc), {});
    const failOpen = mine.filter((s) => s.failOpen).length;
    const when = fails.length > 0 ? ` at ${((fails[0]?.t ?? 0) / 1000).toFixed(2)}–${((fails.at(-1)?.t ?? 0) / 1000).toFixed(2)} s` : "";
    out.push(`  ${header ? `with ${headerName}` : "without header"}: ${mine.length} requests, ${fails.length} failed${fails.length ? ` (${Object.entries(byCode).map(([c, n]) => `${c}×${n}`).join(", ")})${when}` : ""}${failOpen ? `, ${failOpen} served by a target failing its health checks (fail-open)` : ""}`);
    const reasons = fails.reduce<Record<string, number>>((acc, s) => ((acc[s.message ?? String(s.outcome)] = (acc[s.message ?? String(s.outcome)] ?? 0) + 1), acc), {});
    for (const [reason, n] of Object.entries(reasons)) out.push(`      ${n}× ${reason}`);
    for (let i = 0; i < 10; i++) {
      const slice = mine.filter((s) => s.t >= (span * i) / 10 && (i === 9 ? s.t <= span : s.t < (span * (i + 1)) / 10));
      const counts = Object.entries(tally(slice)).sort((a, b) => b[1] - a[1]);
      out.push(`    ${String(i * 10).padStart(2)}–${String((i + 1) * 10).padEnd(3)}% (${((span * i) / 10000).toFixed(1)} s) ${counts.map(([r, n]) => `${r}:${n}`).join(" ")}`);
    }
    if (header) {
      // The header is the tester's way to the new revision. Once the verification rule has first answered, an
      // answer from the old revision is one the tester did not ask for: through the rule itself it is routed wrong;
      // through the default rule, the rule was gone already (expected after an abort or a rollback).
      const rules = result.verifyRule.map(([from, to]) => `${(from / 1000).toFixed(2)}–${to === undefined ? "end" : (to / 1000).toFixed(2)} s`).join(", ");
      const spanOf = (xs: Sample[]) => (xs.length ? ` (${((xs[0]?.t ?? 0) / 1000).toFixed(2)}–${((xs.at(-1)?.t ?? 0) / 1000).toFixed(2)} s)` : "");
      const viaRule = mine.filter((s) => s.rule !== undefined && s.rule !== "default");
      if (viaRule.length === 0) out.push(`    verification rule: ${rules ? `there ${rules}, answered no request` : "never there during the path"}`);
      else out.push(`    verification rule there ${rules}: ${viaRule.length} header requests answered by it, ${verdict.headerViaRuleByOld.length} by the old revision ${verdict.oldRevision ?? "?"}${spanOf(verdict.headerViaRuleByOld)}; after its first answer ${verdict.headerViaDefaultByOld.length} by the old revision through the default rule${spanOf(verdict.headerViaDefaultByOld)}`);
    }
  }
  return out;
}

export function timeline(result: PathResult): string[] {
  return result.observations.map((o) => `    ${(o.t / 1000).toFixed(2).padStart(7)} s  ${o.text}`);
}
