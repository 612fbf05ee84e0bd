// Charts for reports: vega-lite specs rendered to SVG on the server side (no browser).
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export interface Series {
  name: string;
  points: { x: number; y: number }[];
}

/** A line chart of one or more named series (e.g. training loss per step). */
export function lineChart(series: Series[], opts: { x: string; y: string; title?: string; width?: number; height?: number; logY?: boolean }): Promise<string> {
  const values = series.flatMap((s) => s.points.map((p) => ({ series: s.name, x: p.x, y: p.y })));
  return renderSvg({
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: opts.title,
    width: opts.width ?? 480,
    height: opts.height ?? 240,
    data: { values },
    mark: { type: 'line', interpolate: 'linear' },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: opts.x },
      y: { field: 'y', type: 'quantitative', title: opts.y, scale: opts.logY ? { type: 'log' } : { zero: false } },
      color: { field: 'series', type: 'nominal', title: null },
    },
  } as TopLevelSpec);
}

/** Grouped bars: one group per category, one bar per series (e.g. metric per config). */
export function barChart(rows: { group: string; series: string; value: number; err?: number }[], opts: { y: string; title?: string; width?: number }): Promise<string> {
  return renderSvg({
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: opts.title,
    data: { values: rows },
    width: opts.width ?? 120,
    facet: { field: 'group', type: 'nominal', title: null },
    spec: {
      mark: 'bar',
      encoding: {
        x: { field: 'series', type: 'nominal', title: null },
        y: { field: 'value', type: 'quantitative', title: opts.y },
        color: { field: 'series', type: 'nominal', legend: null },
      },
    },
  } as TopLevelSpec);
}
