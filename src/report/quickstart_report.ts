// The quick start's report: the loss curve, the results table (trained model vs. the same
// model with images blanked), and sample pictures with the model's outputs beside the
// references. One self-contained HTML file plus a markdown summary.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RgbImage } from '../data/document.js';
import type { EvalReport, EvalResult } from '../eval/report.js';
import type { StepRecord } from '../train/loop.js';
import { esc, imageDataUrl, page } from './html.js';
import { lineChart } from './plot.js';

export interface QuickstartReportInput {
  command: string;
  recipe: string;
  params: number;
  trainSeconds: number;
  evalSeconds: number;
  steps: StepRecord[];
  model: EvalReport;
  blank: EvalReport;
  modelEvalDir: string;
  blankEvalDir: string;
  /** Pictures of the SAMPLE_TASKS' eval items by id, as the evaluation had them. */
  images: Map<string, RgbImage>;
}

/** The samples section: which results it shows and how many cards each. */
const SAMPLE_SECTIONS = [
  { task: 'world-coco', shots: 0, count: 8 },
  { task: 'world-vqav2', shots: 0, count: 8 },
  { task: 'world-vqav2', shots: 4, count: 4 },
];
/** The tasks whose pictures the samples section shows (see `images`). */
export const SAMPLE_TASKS: readonly string[] = [...new Set(SAMPLE_SECTIONS.map((s) => s.task))];

export interface ComparisonRow {
  task: string;
  metric: string;
  shots: number;
  model: number;
  blank: number;
}

export function compare(model: EvalReport, blank: EvalReport): ComparisonRow[] {
  const key = (r: EvalResult) => `${r.task}|${r.shots}`;
  const b = new Map(blank.results.map((r) => [key(r), r]));
  return model.results.map((r) => ({
    task: r.task,
    metric: r.metric,
    shots: r.shots,
    model: r.metrics[r.metric],
    blank: b.get(key(r))?.metrics[r.metric] ?? NaN,
  }));
}

export function comparisonMarkdown(rows: ComparisonRow[]): string {
  const lines = ['| task | metric | shots | model | images blanked | Δ |', '|---|---|---|---|---|---|'];
  for (const r of rows)
    lines.push(
      `| ${r.task} | ${r.metric} | ${r.shots} | ${r.model.toFixed(1)} | ${r.blank.toFixed(1)} | ${(r.model - r.blank >= 0 ? '+' : '') + (r.model - r.blank).toFixed(1)} |`,
    );
  return lines.join('\n') + '\n';
}

interface Sample {
  id: string;
  prediction: string;
  references: unknown;
}

function readSamples(dir: string, file: string | undefined): Sample[] {
  if (!file || !existsSync(join(dir, file))) return [];
  return readFileSync(join(dir, file), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Sample);
}

async function samplesSection(inp: QuickstartReportInput, task: string, shots: number, count: number): Promise<string> {
  const m = inp.model.results.find((r) => r.task === task && r.shots === shots);
  const b = inp.blank.results.find((r) => r.task === task && r.shots === shots);
  if (!m) return '';
  const ms = readSamples(inp.modelEvalDir, m.samplesFile);
  const bs = new Map(readSamples(inp.blankEvalDir, b?.samplesFile).map((s) => [s.id, s]));
  const cards: string[] = [];
  for (const s of ms.slice(0, count)) {
    const img = inp.images.get(s.id);
    const refs = Array.isArray(s.references) ? (s.references as unknown[]) : [s.references];
    cards.push(`<div class="sample">${img ? `<img src="${await imageDataUrl(img, 128)}" width="128" height="128" alt="${esc(s.id)}">` : ''}
<div><b>model:</b> ${esc(s.prediction)}</div><div class="muted"><b>images blanked:</b> ${esc(bs.get(s.id)?.prediction ?? '')}</div>
<div><b>reference${refs.length > 1 ? 's' : ''}:</b> ${esc([...new Set(refs.map(String))].slice(0, 3).join(' | '))}</div></div>`);
  }
  return `<h3>${esc(task)}, ${shots}-shot</h3><div class="samples">${cards.join('\n')}</div>`;
}

export async function quickstartReport(inp: QuickstartReportInput): Promise<{ html: string; markdown: string }> {
  const rows = compare(inp.model, inp.blank);
  const curve = await lineChart([{ name: 'training loss', points: inp.steps.map((s) => ({ x: s.step, y: s.loss })) }], {
    x: 'step',
    y: 'loss (text tokens)',
    title: 'Pretraining loss',
    width: 640,
  });
  const table = `<table><tr><th>task</th><th>metric</th><th>shots</th><th>model</th><th>images blanked</th><th>Δ</th></tr>${rows
    .map(
      (r) =>
        `<tr><td>${esc(r.task)}</td><td>${esc(r.metric)}</td><td>${r.shots}</td><td>${r.model.toFixed(1)}</td><td>${r.blank.toFixed(1)}</td><td class="${Math.abs(r.model - r.blank) < 0.05 ? 'muted' : r.model > r.blank ? 'good' : 'bad'}">${(r.model - r.blank).toFixed(1)}</td></tr>`,
    )
    .join('')}</table>`;
  const samples: string[] = [];
  for (const s of SAMPLE_SECTIONS) samples.push(await samplesSection(inp, s.task, s.shots, s.count));
  const summary = `recipe <code>${esc(inp.recipe)}</code>, ${(inp.params / 1e6).toFixed(2)}M parameters; ${inp.steps.length} steps; training ${inp.trainSeconds.toFixed(0)} s, evaluation ${inp.evalSeconds.toFixed(0)} s`;
  const html = page(
    'mm1 quick start',
    `<h1>mm1 quick start</h1>
<p>An MM1-style model (ViT → connector → decoder LLM) pretrained on the synthetic world with the 45 : 45 : 10 interleaved : caption : text mixture, then evaluated zero- and few-shot. The baseline is the same model with every image replaced by a blank one: the gap is what the model learned to see.</p>
<p>${summary}</p><p>Made by <code>${esc(inp.command)}</code>.</p>
<h2>Loss</h2>${curve}
<h2>Results</h2><p>CIDEr ×100 for captions, VQA accuracy for questions, accuracy for text tasks.</p>${table}
<h2>Samples</h2>${samples.join('\n')}`,
  );
  const markdown = `# mm1 quick start\n\n${summary.replace(/<\/?code>/g, '`')}\n\nMade by \`${inp.command}\`.\n\n${comparisonMarkdown(rows)}`;
  return { html, markdown };
}
