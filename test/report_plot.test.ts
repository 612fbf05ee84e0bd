import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lineChart, barChart } from '../src/report/plot.js';

test('line chart renders an SVG with one path per series and the axis titles', async () => {
  const svg = await lineChart(
    [
      {
        name: 'train',
        points: [
          { x: 0, y: 3 },
          { x: 1, y: 2 },
          { x: 2, y: 1.5 },
        ],
      },
      {
        name: 'blank images',
        points: [
          { x: 0, y: 3 },
          { x: 2, y: 2.5 },
        ],
      },
    ],
    { x: 'step', y: 'loss', title: 'Loss' },
  );
  assert.match(svg, /^<svg/);
  assert.match(svg, /step/);
  assert.match(svg, /loss/);
  assert.equal((svg.match(/class="mark-line role-mark/g) ?? []).length, 2);
  assert.ok((svg.match(/<path/g) ?? []).length >= 2);
});

test('bar chart renders one bar per row', async () => {
  const svg = await barChart(
    [
      { group: '0-shot', series: 'a', value: 1 },
      { group: '0-shot', series: 'b', value: 2 },
      { group: '4-shot', series: 'a', value: 3 },
    ],
    { y: 'CIDEr' },
  );
  assert.equal((svg.match(/role-mark/g) ?? []).length >= 1, true);
  assert.match(svg, /4-shot/);
});
