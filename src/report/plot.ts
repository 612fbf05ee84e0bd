// Charts for reports: vega-lite specs rendered to SVG on the server side (no browser).
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

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
    $schema: SCHEMA,
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
  });
}

/**
 * Grouped bars: one panel per group, one bar per series (e.g. metric per config). Groups and
 * series keep the order of first appearance (vega-lite would sort them alphabetically, which
 * puts "16-shot" before "4-shot"). Series are named in a legend below rather than under each
 * bar, so long names (a whole data mixture) stay whole. Rows with `err` get an error bar of ±err.
 */
export function barChart(
  rows: { group: string; series: string; value: number; err?: number }[],
  opts: { y: string; title?: string; width?: number; height?: number },
): Promise<string> {
  const series = firstAppearance(rows.map((r) => r.series));
  const values = rows.map((r) => ({ ...r, lo: r.value - (r.err ?? 0), hi: r.value + (r.err ?? 0) }));
  const x = { field: 'series', type: 'nominal', title: null, sort: series, axis: null };
  const bars = {
    mark: 'bar',
    encoding: {
      x,
      y: { field: 'value', type: 'quantitative', title: opts.y },
      color: {
        field: 'series',
        type: 'nominal',
        sort: series,
        scale: { domain: series },
        legend: { title: null, orient: 'bottom', direction: 'vertical', labelLimit: 600 },
      },
    },
  };
  const errorBars = { mark: { type: 'errorbar', ticks: true }, encoding: { x, y: { field: 'lo', type: 'quantitative', title: opts.y }, y2: { field: 'hi' } } };
  return renderSvg({
    $schema: SCHEMA,
    title: opts.title,
    data: { values },
    facet: { field: 'group', type: 'nominal', title: null, sort: firstAppearance(rows.map((r) => r.group)) },
    spec: {
      width: opts.width ?? 120,
      ...(opts.height ? { height: opts.height } : {}),
      layer: rows.some((r) => r.err !== undefined) ? [bars, errorBars] : [bars],
    },
  } as TopLevelSpec);
}

export interface PanelPoint {
  /** Which small multiple the point belongs to (e.g. "0-shot"). */
  panel: string;
  /** Which line inside the panel (e.g. "encoder small"). */
  series: string;
  x: number;
  y: number;
  /** Half-width of the error bar drawn at the point (e.g. the seed std). */
  err?: number;
}

/**
 * Small multiples of line charts: one panel per `panel`, one line per `series`, points marked,
 * optional ±err bars. The x ticks are exactly the x values present, so a grid of settings
 * (32, 64, 128 px) reads as such; `logX` spaces doubling settings evenly.
 */
export function facetLineChart(
  points: PanelPoint[],
  opts: { x: string; y: string; title?: string; width?: number; height?: number; logX?: boolean },
): Promise<string> {
  const series = firstAppearance(points.map((p) => p.series));
  const xs = [...new Set(points.map((p) => p.x))].sort((a, b) => a - b);
  const values = points.map((p) => ({ ...p, lo: p.y - (p.err ?? 0), hi: p.y + (p.err ?? 0) }));
  const x = {
    field: 'x',
    type: 'quantitative',
    title: opts.x,
    scale: opts.logX ? { type: 'log', base: 2, nice: false, padding: 8 } : { zero: false, nice: false, padding: 8 },
    axis: { values: xs },
  };
  const color = { field: 'series', type: 'nominal', title: null, sort: series, scale: { domain: series } };
  const lines = {
    mark: { type: 'line', point: true },
    encoding: { x, y: { field: 'y', type: 'quantitative', title: opts.y, scale: { zero: false } }, color },
  };
  const errorBars = {
    mark: { type: 'errorbar', ticks: true },
    encoding: { x, y: { field: 'lo', type: 'quantitative', title: opts.y }, y2: { field: 'hi' }, color },
  };
  return renderSvg({
    $schema: SCHEMA,
    title: opts.title,
    data: { values },
    facet: { field: 'panel', type: 'nominal', title: null, sort: firstAppearance(points.map((p) => p.panel)) },
    spec: {
      width: opts.width ?? 180,
      height: opts.height ?? 160,
      layer: points.some((p) => p.err !== undefined) ? [lines, errorBars] : [lines],
    },
    resolve: { scale: { y: 'independent' } },
  } as TopLevelSpec);
}

function firstAppearance(items: string[]): string[] {
  return [...new Set(items)];
}
