// The report's "What each claim is made of": per claim, its own row and then its Δ on each task
// of its average and at each of its shot counts (claim_breakdown.ts), as markdown and HTML.
// No verdict marks on the parts: they are descriptive, and a line under each table says so.
import type { ClaimBreakdown } from './claim_breakdown.js';
import { deltaCells } from './format.js';
import { escapeHtml } from './report_table.js';
import type { ClaimOutcome } from './study.js';

export const BREAKDOWN_TITLE = 'What each claim is made of';

export interface ClaimWithBreakdown {
  outcome: ClaimOutcome;
  breakdown: ClaimBreakdown;
}

/** The section's opening paragraph. */
export function breakdownIntro(replicates: number): string {
  return (
    "Each claim's comparison (the same variants, seeds, items, orientation and paired seeds × items bootstrap, " +
    `${replicates.toLocaleString('en-US')} resamples) taken on each task its average is made of and at each shot count it averages over. ` +
    'A part reading one task averages the claim’s shot counts; a part at one shot count reads the claim’s whole average.'
  );
}

/** The line under every table. */
export function breakdownCaveat(parts: number): string {
  return (
    `Descriptive, no verdicts: with ${parts} intervals beside the claim's, some may exclude 0 by chance alone. ` + "The claim's verdict rests on its own row."
  );
}

type Row = [part: string, delta: string, ci: string];

function rows(c: ClaimWithBreakdown): Row[] {
  const claimRow: Row = [`the claim (${c.breakdown.on})`, ...deltaCells(c.outcome)];
  const partRows = c.breakdown.parts.map((p): Row => {
    const name = p.kind === 'task' ? p.part : `${p.on}`;
    return [p.note ? `${name} (${p.note})` : name, ...deltaCells(p)];
  });
  return [claimRow, ...partRows];
}

function heading(c: ClaimWithBreakdown): string {
  return `Δ = ${c.breakdown.orientation}.`;
}

export function breakdownMarkdown(claims: readonly ClaimWithBreakdown[]): string[] {
  if (claims.length === 0) return [];
  const out = [`## ${BREAKDOWN_TITLE}`, '', breakdownIntro(claims[0].breakdown.replicates), ''];
  for (const c of claims) {
    out.push(`### \`${c.breakdown.claim}\``, '');
    if (c.breakdown.problem) {
      out.push(`Not broken down: ${c.breakdown.problem}.`, '');
      continue;
    }
    const line = (r: readonly string[]) => `| ${r.map((x) => x.replace(/\|/g, '\\|')).join(' | ')} |`;
    out.push(
      heading(c),
      '',
      line(['part', 'Δ', '95% CI']),
      '| --- | ---: | :---: |',
      ...rows(c).map(([p, d, ci], i) => line([i === 0 ? `**${p}**` : p, d, ci])),
      '',
    );
    out.push(`*${breakdownCaveat(c.breakdown.parts.length)}*`, '');
  }
  return out;
}

export function breakdownHtml(claims: readonly ClaimWithBreakdown[]): string {
  if (claims.length === 0) return '';
  const e = escapeHtml;
  const blocks = claims.map((c) => {
    const title = `<h3><code>${e(c.breakdown.claim)}</code></h3>`;
    if (c.breakdown.problem) return `${title}\n<p>Not broken down: ${e(c.breakdown.problem)}.</p>`;
    const body = rows(c)
      .map(([p, d, ci], i) => `<tr><th scope="row">${i === 0 ? `<b>${e(p)}</b>` : e(p)}</th><td>${e(d)}</td><td>${e(ci)}</td></tr>`)
      .join('');
    return (
      `${title}\n<p>${e(heading(c))}</p>\n<table><thead><tr><th>part</th><th>Δ</th><th>95% CI</th></tr></thead><tbody>${body}</tbody></table>\n` +
      `<p class="rule">${e(breakdownCaveat(c.breakdown.parts.length))}</p>`
    );
  });
  return `<h2>${BREAKDOWN_TITLE}</h2>\n<p>${e(breakdownIntro(claims[0].breakdown.replicates))}</p>\n${blocks.join('\n')}`;
}
