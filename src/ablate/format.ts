// Number and duration formatting shared by claims, progress lines and reports, so the same
// value reads the same everywhere.
import type { Stat } from './aggregate.js';
import type { Verdict } from './study.js';

/** The mark a verdict is printed with. */
export const VERDICT_MARK: Record<Verdict, string> = { reproduced: '✔', 'not reproduced': '✘', inconclusive: '?' };

/** Decimals giving 3 significant-ish digits: 41.2, 4.12, 0.412. */
function decimals(x: number): number {
  const a = Math.abs(x);
  return a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3;
}

export function fmt(x: number): string {
  return x.toFixed(decimals(x));
}

/** Signed, for differences: +4.2, −0.31. */
export function fmtDelta(x: number): string {
  return `${x >= 0 ? '+' : '−'}${fmt(Math.abs(x))}`;
}

/** A claim's Δ, 95% CI and verdict as table cells, '–' where a claim has none (reports and `mm1 ablate summary`). */
export function claimCells(o: { delta?: number; ci?: readonly [number, number]; verdict: Verdict }): [string, string, string] {
  return [...deltaCells(o), `${VERDICT_MARK[o.verdict]} ${o.verdict}`];
}

/** Δ and its 95% interval as table cells ("+1.20", "[+0.02, +2.36]"; "–" when absent), with or without a verdict beside them. */
export function deltaCells(o: { delta?: number; ci?: readonly [number, number] }): [string, string] {
  return [o.delta === undefined ? '–' : fmtDelta(o.delta), o.ci === undefined ? '–' : `[${fmtDelta(o.ci[0])}, ${fmtDelta(o.ci[1])}]`];
}

/** "41.2 ± 0.8" (the std to the mean's decimals, as papers print it); "41.2" with one seed, whose std means nothing. */
export function fmtStat(s: Stat, pm = ' ± '): string {
  return s.n > 1 ? `${fmt(s.mean)}${pm}${s.std.toFixed(decimals(s.mean))}` : fmt(s.mean);
}

/** 75 → "1m15s", 3725 → "1h02m", 8 → "8s". */
export function fmtDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
