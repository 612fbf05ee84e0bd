// The study's figure (src/report/plot.ts renders it to SVG): lines over a numeric axis, or
// grouped bars per variant, one panel per shot count, error bars = seed std when seeds > 1.
import { facetLineChart, barChart } from '../report/plot.js';
import { IMAGE_AVG, type AggregatedResults } from './aggregate.js';
import type { Panel, Study } from './study.js';

export function figurePanels(study: Study, results: AggregatedResults): Panel[] {
  if (study.figure.panels) return study.figure.panels;
  const metric = results.metrics.includes(IMAGE_AVG) ? IMAGE_AVG : results.metrics[0];
  if (!metric) return [];
  return results.shots.filter((s) => results.variants.some((v) => v.stats[metric]?.[s])).map((shots) => ({ metric, shots }));
}

function panelTitle(p: Panel, oneMetric: boolean): string {
  return p.title ?? (oneMetric ? `${p.shots}-shot` : `${p.metric} ${p.shots}-shot`);
}

/** The figure as SVG text, or undefined when there is nothing to plot. */
export async function studyFigure(study: Study, results: AggregatedResults): Promise<string | undefined> {
  const panels = figurePanels(study, results);
  const oneMetric = new Set(panels.map((p) => p.metric)).size === 1;
  const yTitle = oneMetric && panels.length > 0 ? panels[0].metric : 'score';
  const points = panels.flatMap((p) =>
    results.variants.flatMap((v) => {
      const s = v.stats[p.metric]?.[p.shots];
      return s ? [{ panel: panelTitle(p, oneMetric), v, mean: s.mean, err: s.n > 1 ? s.std : undefined }] : [];
    }),
  );
  if (points.length === 0) return undefined;
  const fig = study.figure;
  if (fig.kind === 'lines') {
    const series = fig.series;
    return facetLineChart(
      points.map((pt) => {
        const x = Number(pt.v.variant.axes[fig.x]);
        if (!Number.isFinite(x))
          throw new Error(
            `study '${study.name}': figure x axis '${fig.x}' needs a number on every variant; '${pt.v.variant.id}' has ${JSON.stringify(pt.v.variant.axes[fig.x])}`,
          );
        return { panel: pt.panel, series: series ? `${series} ${pt.v.variant.axes[series]}` : study.name, x, y: pt.mean, err: pt.err };
      }),
      { x: fig.x, y: yTitle, logX: fig.logX, width: 220, height: 180 },
    );
  }
  return barChart(
    points.map((pt) => ({ group: pt.panel, series: pt.v.variant.label, value: pt.mean, err: pt.err })),
    { y: yTitle, width: Math.max(120, 28 * results.variants.length) },
  );
}
