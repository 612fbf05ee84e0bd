// The study report, written to read like the paper's ablation: the question, the table, the
// figure, then each of MM1's lessons with ✔ reproduced / ✘ not reproduced / ? inconclusive
// and its numbers, and how to make it again (command, scale, seeds, time, date).
//   <out>/report.md, <out>/report.html (figure inline), <out>/figures/<study>.svg,
//   <out>/study.json (the same numbers for programs).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { atomicWriteFile } from '../engine/atomic_write.js';
import { mm1Version } from '../version.js';
import { IMAGE_AVG, type AggregatedResults } from './aggregate.js';
import { flatten } from './config_paths.js';
import { claimCells, fmt, fmtDuration, VERDICT_MARK } from './format.js';
import { breakDownClaim } from './claim_breakdown.js';
import { seedStdByMeasure } from './measure.js';
import { breakdownHtml, breakdownMarkdown, type ClaimWithBreakdown } from './report_breakdown.js';
import { studyFigure } from './report_figure.js';
import { escapeHtml, htmlTable, markdownTable } from './report_table.js';
import type { Claim, ClaimOutcome, Scale, Study, Verdict } from './study.js';
import { VERDICT_RULE } from './verdict.js';

export interface EvaluatedClaim {
  claim: Claim;
  outcome: ClaimOutcome;
}

export interface ReportInput {
  study: Study;
  scale: Scale;
  seeds: number;
  /** The training seeds, firstSeed … firstSeed + seeds − 1. */
  seedList: number[];
  /** The seed that drew the evaluation items and shots, the same for every run. */
  evalSeed: number;
  salt: string;
  command: string;
  date: Date;
  results: AggregatedResults;
  claims: EvaluatedClaim[];
  computeSeconds: number;
  elapsedSeconds: number;
  freshRuns: number;
  cachedRuns: number;
  /** Warnings the runs returned, e.g. fewer shots than asked because they did not fit. */
  warnings: RunWarning[];
  /** Planned runs without a result (a report assembled while a sweep is under way). */
  missing?: MissingRun[];
  /** The command that runs one missing run, `<key>` standing for its key. */
  missingHint?: string;
}

export interface MissingRun {
  variant: string;
  seed: number;
  key: string;
  /** The worker holding it, when one is. */
  heldBy?: string;
}

/** "Not finished": one line per missing run, then how to run one. */
function missingLines(r: ReportInput): string[] {
  const missing = r.missing ?? [];
  if (missing.length === 0) return [];
  return [
    `${missing.length} planned run${missing.length === 1 ? ' has' : 's have'} no result yet, so the tables and claims above leave ${missing.length === 1 ? 'it' : 'them'} out:`,
    '',
    ...missing.map((m) => `- \`${m.key}\` ${m.variant}, seed ${m.seed}: ${m.heldBy ? `running (${m.heldBy})` : 'not started'}`),
    '',
    ...(r.missingHint ? [`Run one with \`${r.missingHint}\`, then assemble the report again.`, ''] : []),
  ];
}

export interface RunWarning {
  variant: string;
  seed: number;
  message: string;
}

/** With several seeds: the pooled seed std of each of the study's spread measures (default avg/image over all shots). */
function seedSpread(r: ReportInput): Record<string, number> | undefined {
  return r.seeds > 1 ? seedStdByMeasure(r.results, r.study.spreadMeasures ?? [{ metric: IMAGE_AVG, shots: 'all' }]) : undefined;
}

/** "`avg/image@all`: 1.23", one per measure with a spread. */
function spreadLines(r: ReportInput): string[] {
  return Object.entries(seedSpread(r) ?? {}).map(([key, sd]) => `\`${key}\`: ${fmt(sd)}`);
}

/** "Notes from the runs": each distinct message once, with the runs that gave it. */
function warningLines(r: ReportInput): string[] {
  const byMessage = new Map<string, string[]>();
  for (const w of r.warnings) byMessage.set(w.message, [...(byMessage.get(w.message) ?? []), `${w.variant}${r.seeds > 1 ? ` (seed ${w.seed})` : ''}`]);
  return [...byMessage].map(([message, runs]) => `${runs.join('; ')} — ${message}`);
}

export interface ReportFiles {
  markdown: string;
  html: string;
  /** Figure files written (empty when the runs reported nothing to plot). */
  figures: string[];
  json: string;
}

/** Config keys that differ between variants (per variant) and the ones they share. */
function configDiff(results: AggregatedResults): { varying: string[]; shared: Record<string, unknown> } {
  const flat = results.variants.map((v) => flatten(v.variant.config));
  const keys = [...new Set(flat.flatMap((f) => Object.keys(f)))].sort();
  const same = (k: string) => flat.every((f) => JSON.stringify(f[k]) === JSON.stringify(flat[0][k]));
  return { varying: keys.filter((k) => !same(k)), shared: Object.fromEntries(keys.filter(same).map((k) => [k, flat[0][k]])) };
}

function spreadNote(seeds: number): string {
  return seeds > 1 ? `Mean ± std over ${seeds} seeds` : 'One seed, so no spread';
}

/** Quotation marks only around MM1's own words. */
function quoted(study: Study): string {
  return study.verbatim ? `“${study.lesson}”` : study.lesson;
}

function facts(r: ReportInput): [string, string][] {
  return [
    ['Scale', r.scale],
    ['Seeds per variant', `${r.seeds} (training seeds ${r.seedList.join(', ')})`],
    ['Evaluation items', `drawn with eval seed ${r.evalSeed}: the same items and shots for every variant and seed`],
    ['Runs', `${r.freshRuns + r.cachedRuns} (${r.freshRuns} run now, ${r.cachedRuns} from the cache)`],
    ['Total wall time', `${fmtDuration(r.computeSeconds)} of training + evaluation (sum over runs); this invocation took ${fmtDuration(r.elapsedSeconds)}`],
    ['Date', `${r.date.toISOString().slice(0, 16).replace('T', ' ')} UTC`],
    ['mm1', `${mm1Version()} (cache salt \`${r.salt}\`)`],
  ];
}

function averagesLegend(results: AggregatedResults): string[] {
  return Object.entries(results.averagedFrom)
    .filter(([, from]) => from.length >= 2)
    .map(
      ([avg, from]) => `\`${avg}\` is the mean of ${from.map((m) => `\`${m}\``).join(', ')} at each shot count (MM1 reports one such average per shot count).`,
    );
}

function markdown(r: ReportInput, figure: string | undefined, parts: readonly ClaimWithBreakdown[]): string {
  const { study, results } = r;
  const diff = configDiff(results);
  const out: string[] = [
    `# MM1 ablation: ${study.title}`,
    '',
    `**Question.** ${study.question}`,
    '',
    `**MM1's lesson** (${study.source}${study.verbatim ? '' : '; paraphrased'}): ${quoted(study)}`,
    '',
    '## Results',
    '',
    `${spreadNote(r.seeds)}; best of each column in bold; higher is better.`,
    '',
    markdownTable(results),
    '',
    ...averagesLegend(results).flatMap((l) => [l, '']),
  ];
  if (figure) out.push(`![${study.title}](figures/${figure})`, '', `*Figure.* ${figureCaption(r)}`, '');
  const notFinished = missingLines(r);
  if (notFinished.length > 0) out.push('## Not finished', '', ...notFinished);
  out.push("## MM1's claims, checked", '');
  if (r.claims.length > 0) {
    out.push(`| ${CLAIM_HEADER.join(' | ')} |`, `| --- | ---: | :---: | --- |`, ...claimRows(r).map((row) => `| ${row.join(' | ')} |`), '');
  }
  for (const { claim, outcome } of r.claims) {
    out.push(`- ${VERDICT_MARK[outcome.verdict]} **${outcome.verdict}**: ${claim.text} — ${outcome.evidence}`);
  }
  out.push('', `*Rule.* ${VERDICT_RULE}`, '');
  out.push(...breakdownMarkdown(parts));
  const spread = spreadLines(r);
  if (spread.length > 0)
    out.push(
      '## Seed spread',
      '',
      `Pooled std over seeds of one run's score (metric averaged over the named shots), per measure:`,
      '',
      ...spread.map((l) => `- ${l}`),
      '',
    );
  const notes = warningLines(r);
  if (notes.length > 0) out.push('## Notes from the runs', '', ...notes.map((n) => `- ${n}`), '');
  out.push('## Setup', '', ...study.notes.map((n) => `- ${n}`), '');
  out.push('| Variant | id | ' + diff.varying.map((k) => `\`${k}\``).join(' | ') + ' |');
  out.push('| --- | --- |' + diff.varying.map(() => ' --- |').join(''));
  for (const v of results.variants) {
    const flat = flatten(v.variant.config);
    out.push(
      `| ${v.variant.label} | \`${v.variant.id}\` | ${diff.varying.map((k) => (flat[k] === undefined ? '–' : `\`${JSON.stringify(flat[k])}\``)).join(' | ')} |`,
    );
  }
  out.push(
    '',
    `Shared by every variant: ${Object.entries(diff.shared)
      .map(([k, v]) => `\`${k}\` = \`${JSON.stringify(v)}\``)
      .join(', ')}; plus \`seed\`.`,
    '',
  );
  out.push('## Reproduce', '', '```sh', r.command, '```', '', ...facts(r).map(([k, v]) => `- ${k}: ${v}`), '');
  return out.join('\n');
}

/** Claim × (Δ, 95% CI, verdict): the summary a reader scans first. */
function claimRows(r: ReportInput): string[][] {
  return r.claims.map(({ claim, outcome }) => [claim.id, ...claimCells(outcome)]);
}

const CLAIM_HEADER = ['claim', 'Δ', '95% CI', 'verdict'];

function figureCaption(r: ReportInput): string {
  const fig = r.study.figure;
  const what = fig.kind === 'lines' ? `Score against ${fig.x}${fig.series ? `, one line per ${fig.series}` : ''}` : 'Score per variant';
  return `${what}, one panel per shot count${r.seeds > 1 ? '; error bars: ± one std over seeds' : '; one seed, so no error bars'}.`;
}

const CSS = `body{font:15px/1.5 system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:1em 0;font-size:13px}th,td{border-bottom:1px solid #ddd;padding:4px 8px;text-align:right}
th[scope=row],thead th:first-child{text-align:left}thead th{text-align:center;background:#f4f4f4}
blockquote{margin:0;padding:.2em 1em;border-left:3px solid #ccc;color:#444}
.v-reproduced{color:#1a7f37}.v-not{color:#c62828}.v-inconclusive{color:#9a6700}li{margin:.3em 0}
figure{margin:1em 0}figcaption{font-size:13px;color:#555}pre{background:#f4f4f4;padding:.6em 1em;overflow-x:auto}
code{font-size:13px}.rule{font-size:13px;color:#555}`;

function html(r: ReportInput, svg: string | undefined, parts: readonly ClaimWithBreakdown[]): string {
  const { study, results } = r;
  const e = escapeHtml;
  const spread = spreadLines(r);
  const notes = warningLines(r);
  const verdictClass: Record<Verdict, string> = { reproduced: 'v-reproduced', 'not reproduced': 'v-not', inconclusive: 'v-inconclusive' };
  const claims = r.claims
    .map(
      ({ claim, outcome }) =>
        `<li><span class="${verdictClass[outcome.verdict]}"><b>${VERDICT_MARK[outcome.verdict]} ${e(outcome.verdict)}</b></span>: ${e(claim.text)} — ${e(outcome.evidence)}</li>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>MM1 ablation: ${e(study.title)}</title><style>${CSS}</style></head>
<body>
<h1>MM1 ablation: ${e(study.title)}</h1>
<p><b>Question.</b> ${e(study.question)}</p>
<blockquote><b>MM1's lesson</b> (${e(study.source)}${study.verbatim ? '' : '; paraphrased'}): ${e(quoted(study))}</blockquote>
<h2>Results</h2>
<p>${e(spreadNote(r.seeds))}; best of each column in bold; higher is better.</p>
${htmlTable(results)}
${averagesLegend(results)
  .map((l) => `<p class="rule">${e(l).replace(/`([^`]+)`/g, '<code>$1</code>')}</p>`)
  .join('\n')}
${svg ? `<figure>${svg}<figcaption>${e(figureCaption(r))}</figcaption></figure>` : '<p>No figure: the runs reported nothing to plot.</p>'}
${
  missingLines(r).length > 0
    ? `<h2>Not finished</h2>\n${missingLines(r)
        .filter(Boolean)
        .map((l) => `<p>${e(l).replace(/`([^`]+)`/g, '<code>$1</code>')}</p>`)
        .join('\n')}`
    : ''
}
<h2>MM1's claims, checked</h2>
${
  r.claims.length > 0
    ? `<table><thead><tr>${CLAIM_HEADER.map((h) => `<th>${e(h)}</th>`).join('')}</tr></thead><tbody>${claimRows(r)
        .map((row) => `<tr>${row.map((c, i) => (i === 0 ? `<th scope="row"><code>${e(c)}</code></th>` : `<td>${e(c)}</td>`)).join('')}</tr>`)
        .join('')}</tbody></table>`
    : ''
}
<ul>
${claims}
</ul>
<p class="rule"><b>Rule.</b> ${e(VERDICT_RULE)}</p>
${breakdownHtml(parts)}
${spread.length > 0 ? `<h2>Seed spread</h2>\n<p>Pooled std over seeds of one run's score (metric averaged over the named shots), per measure:</p>\n<ul>${spread.map((l) => `<li>${e(l).replace(/`([^`]+)`/g, '<code>$1</code>')}</li>`).join('')}</ul>` : ''}
${notes.length > 0 ? `<h2>Notes from the runs</h2>\n<ul>${notes.map((n) => `<li>${e(n)}</li>`).join('')}</ul>` : ''}
<h2>Setup</h2>
<ul>${study.notes.map((n) => `<li>${e(n).replace(/`([^`]+)`/g, '<code>$1</code>')}</li>`).join('')}</ul>
${configTableHtml(results)}
<h2>Reproduce</h2>
<pre>${e(r.command)}</pre>
<ul>${facts(r)
    .map(([k, v]) => `<li>${e(k)}: ${e(v).replace(/`([^`]+)`/g, '<code>$1</code>')}</li>`)
    .join('')}</ul>
</body></html>
`;
}

function configTableHtml(results: AggregatedResults): string {
  const diff = configDiff(results);
  const head = `<tr><th>Variant</th><th>id</th>${diff.varying.map((k) => `<th><code>${escapeHtml(k)}</code></th>`).join('')}</tr>`;
  const rows = results.variants.map((v) => {
    const flat = flatten(v.variant.config);
    const cells = diff.varying.map((k) => `<td><code>${flat[k] === undefined ? '–' : escapeHtml(JSON.stringify(flat[k]))}</code></td>`);
    return `<tr><th scope="row">${escapeHtml(v.variant.label)}</th><td><code>${escapeHtml(v.variant.id)}</code></td>${cells.join('')}</tr>`;
  });
  const shared = Object.entries(diff.shared).map(([k, v]) => `<code>${escapeHtml(k)}</code> = <code>${escapeHtml(JSON.stringify(v))}</code>`);
  return `<table>\n<thead>${head}</thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>\n<p class="rule">Shared by every variant: ${shared.join(', ')}; plus <code>seed</code>.</p>`;
}

function json(r: ReportInput, parts: readonly ClaimWithBreakdown[]): string {
  return `${JSON.stringify(
    {
      study: r.study.name,
      title: r.study.title,
      scale: r.scale,
      seeds: r.seeds,
      seedList: r.seedList,
      evalSeed: r.evalSeed,
      salt: r.salt,
      command: r.command,
      date: r.date.toISOString(),
      computeSeconds: r.computeSeconds,
      variants: r.results.variants.map((v) => ({
        id: v.variant.id,
        label: v.variant.label,
        axes: v.variant.axes,
        stats: v.stats,
        runs: v.runs.map(({ items: _items, ...run }) => run),
      })),
      claims: r.claims.map(({ claim, outcome }) => {
        const b = parts.find((p) => p.breakdown.claim === claim.id)?.breakdown;
        return { id: claim.id, text: claim.text, ...outcome, ...(b ? { breakdown: b } : {}) };
      }),
      warnings: r.warnings,
      ...(r.missing && r.missing.length > 0 ? { missing: r.missing } : {}),
      ...(r.seeds > 1 ? { seedStd: seedSpread(r) } : {}),
    },
    null,
    2,
  )}\n`;
}

/** Each claim's parts (the claims groupBeats and effectBeats build; others have none). */
function claimBreakdowns(r: ReportInput): ClaimWithBreakdown[] {
  return r.claims.flatMap(({ claim, outcome }) => {
    const breakdown = breakDownClaim(r.results, claim);
    return breakdown ? [{ outcome, breakdown }] : [];
  });
}

export async function writeStudyReport(r: ReportInput, outDir: string): Promise<ReportFiles> {
  mkdirSync(join(outDir, 'figures'), { recursive: true });
  const svg = await studyFigure(r.study, r.results);
  const figureName = `${r.study.name}.svg`;
  const figures: string[] = [];
  if (svg) {
    const path = join(outDir, 'figures', figureName);
    atomicWriteFile(path, svg);
    figures.push(path);
  }
  const files = { markdown: join(outDir, 'report.md'), html: join(outDir, 'report.html'), figures, json: join(outDir, 'study.json') };
  const parts = claimBreakdowns(r);
  atomicWriteFile(files.markdown, markdown(r, svg ? figureName : undefined, parts));
  atomicWriteFile(files.html, html(r, svg, parts));
  atomicWriteFile(files.json, json(r, parts));
  return files;
}
