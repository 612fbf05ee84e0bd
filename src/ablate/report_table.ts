// The paper-style results table: one row per variant, one column per metric (× shot count),
// "mean ± std" over seeds, the best mean of each column in bold (all metrics are
// higher-is-better: CIDEr, accuracy). Rendered as markdown and as HTML with grouped headers.
import { IMAGE_AVG, TEXT_AVG, type AggregatedResults, type Stat } from './aggregate.js';
import { fmtStat } from './format.js';

export interface Column {
  metric: string;
  shots: string;
}

/** Metric × shots columns; an average over a single task is left out (it repeats that task). */
export function tableColumns(results: AggregatedResults): Column[] {
  const cols: Column[] = [];
  for (const metric of results.metrics) {
    if ((metric === IMAGE_AVG || metric === TEXT_AVG) && (results.averagedFrom[metric]?.length ?? 0) < 2) continue;
    for (const shots of results.shots) {
      if (results.variants.some((v) => v.stats[metric]?.[shots])) cols.push({ metric, shots });
    }
  }
  return cols;
}

function cell(results: AggregatedResults, row: number, col: Column): Stat | undefined {
  return results.variants[row].stats[col.metric]?.[col.shots];
}

function bestRows(results: AggregatedResults, col: Column): Set<number> {
  const means = results.variants.map((_, i) => cell(results, i, col)?.mean);
  const defined = means.filter((m): m is number => m !== undefined);
  if (defined.length < 2) return new Set();
  const best = Math.max(...defined);
  return new Set(means.flatMap((m, i) => (m === best ? [i] : [])));
}

/**
 * Markdown: one table per shot count (a single table of every metric × shot ran to 37
 * columns, unreadable in a terminal or on GitHub), the averages first since they are what
 * the claims read; the HTML report keeps one table with grouped headers.
 */
export function markdownTable(results: AggregatedResults): string {
  const cols = tableColumns(results);
  const shots = [...new Set(cols.map((c) => c.shots))];
  const averagesFirst = (c: Column) => (c.metric === IMAGE_AVG || c.metric === TEXT_AVG ? 0 : 1);
  const line = (cells: string[]) => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  const tables = shots.map((shot) => {
    const these = cols.filter((c) => c.shots === shot).sort((a, b) => averagesFirst(a) - averagesFirst(b));
    const best = these.map((c) => bestRows(results, c));
    const header = ['Variant', ...these.map((c) => c.metric)];
    const rows = results.variants.map((v, i) => [
      v.variant.label,
      ...these.map((c, j) => {
        const s = cell(results, i, c);
        if (!s) return '–';
        return best[j].has(i) ? `**${fmtStat(s)}**` : fmtStat(s);
      }),
    ]);
    const table = [line(header), `|${header.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`, ...rows.map(line)].join('\n');
    return shots.length > 1 ? `### ${shot}-shot\n\n${table}` : table;
  });
  return tables.join('\n\n');
}

export function htmlTable(results: AggregatedResults): string {
  const cols = tableColumns(results);
  const best = cols.map((c) => bestRows(results, c));
  const groups: { metric: string; span: number }[] = [];
  for (const c of cols) {
    const last = groups[groups.length - 1];
    if (last?.metric === c.metric) last.span++;
    else groups.push({ metric: c.metric, span: 1 });
  }
  const head1 = `<tr><th rowspan="2">Variant</th>${groups.map((g) => `<th colspan="${g.span}">${escapeHtml(g.metric)}</th>`).join('')}</tr>`;
  const head2 = `<tr>${cols.map((c) => `<th>${escapeHtml(c.shots)}-shot</th>`).join('')}</tr>`;
  const body = results.variants
    .map((v, i) => {
      const cells = cols.map((c, j) => {
        const s = cell(results, i, c);
        const text = s ? escapeHtml(fmtStat(s, ' ± ')) : '–';
        return `<td>${best[j].has(i) ? `<b>${text}</b>` : text}</td>`;
      });
      return `<tr><th scope="row">${escapeHtml(v.variant.label)}</th>${cells.join('')}</tr>`;
    })
    .join('\n');
  return `<table>\n<thead>\n${head1}\n${head2}\n</thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
