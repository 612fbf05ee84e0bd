// The resolution probe (`mm1 data probe`): how much of each image task's answers a fixed,
// model-independent reader recovers from the pixels at 32, 64 and 128 px. It depends on no
// model under study, so it says what the data can carry before any study runs.
//
// Per task, every evaluation item becomes one or more readings, each with a place in the
// picture (the grid cells the question is about, known from the scene graph: the probe is
// told where to look, not what is there):
// - VQA-style items: the question's answer, read from its cells (or the whole picture);
// - caption items: what the references name (each object's colour, shape and, in v2,
//   pattern, and the number of dots; for TextCaps the written word).
// Each kind of reading gets a ridge classifier on fixed features of its region
// (features.ts) trained on the same kind of reading from training-split items (the `shots`
// split), and is scored on evaluation items with VQA accuracy against the item's answers.
// "chance" is the most common training answer of each kind of reading.
import type { RgbImage } from '../../document.js';
import type { WorldCaptionItem, WorldVqaItem, WorldEvalSets } from '../eval_items.js';
import { DEFAULT_EVAL_SIZES, worldEvalSets } from '../eval_sets.js';
import { WORDS, type WorldVersion } from '../lexicon.js';
import type { Scene } from '../scene.js';
import { patternOf } from '../scene_v2.js';
import { blobCount, cellBox, grow, readingFeatures, regionFeatures, throughResolution, WHOLE, type Box } from './features.js';
import { fitRidge, predictRidge } from './ridge.js';

/** The image tasks probed, by eval task name, and the eval set each reads. */
export const PROBED_TASKS: readonly (readonly [string, keyof WorldEvalSets])[] = [
  ['world-coco', 'captions'],
  ['world-nocaps', 'heldoutCaptions'],
  ['world-textcaps', 'textCaptions'],
  ['world-vqav2', 'vqa'],
  ['world-textvqa', 'textVqa'],
  ['world-vizwiz', 'vizwiz'],
  ['world-okvqa', 'okvqa'],
  ['world-gqa', 'gqa'],
];

/** Where a reading looks and what kind of features it gets. */
type Focus = { kind: 'whole' } | { kind: 'objects' | 'text' | 'dots'; cells: number[] };

interface Reading {
  /** Readings of one group share a classifier, e.g. "vqa/pattern/objects1". */
  group: string;
  /** Answered by the template reader itself, nothing learned: which word is written. */
  direct?: boolean;
  focus: Focus;
  /** Ten answers (VQA accuracy: min(1, matches / 3)); single-answer readings repeat one. */
  answers: string[];
}

interface ProbeItem {
  image: RgbImage;
  readings: Reading[];
}

export interface ProbeRow {
  task: string;
  items: number;
  /** Score of always giving each reading kind's most common training answer, in %. */
  chance: number;
  /** Score in % at each probed resolution. */
  scores: Record<number, number>;
}

export interface ProbeOptions {
  seed: number;
  /** Resolutions the 128-pixel renders pass through (each divides 128). */
  sizes: number[];
  version: WorldVersion;
  /** Evaluation items per task (default 200). */
  items?: number;
  /** Training-split items per task that the classifiers learn from (default 600). */
  trainItems?: number;
  /** Only these tasks (default: all of PROBED_TASKS). */
  tasks?: string[];
  onProgress?(task: string, size: number): void;
}

const ten = (a: string) => Array<string>(10).fill(a);

function focusOf(scene: Scene | undefined, cells: number[]): Focus {
  if (cells.length === 0 || !scene) return { kind: 'whole' };
  if (scene.text && cells.length === 1 && cells[0] === scene.text.cell) return { kind: 'text', cells };
  if (scene.dots && cells.length === 1 && cells[0] === scene.dots.cell) return { kind: 'dots', cells };
  return { kind: 'objects', cells };
}

function focusName(f: Focus): string {
  return f.kind === 'whole' ? 'whole' : `${f.kind}${f.cells.length}`;
}

function vqaReadings(item: WorldVqaItem, set: keyof WorldEvalSets): Reading[] {
  const focus = focusOf(item.scene, item.focusCells ?? []);
  // VizWiz's reading questions may be "unanswerable", which the reader cannot say: learned
  const direct = item.questionType === 'read' && focus.kind === 'text' && set !== 'vizwiz';
  return [{ group: `vqa/${item.questionType}/${item.answerType}/${focusName(focus)}`, direct, focus, answers: item.answers }];
}

function captionReadings(item: WorldCaptionItem, textual: boolean): Reading[] {
  const scene = item.scene!;
  if (textual) return [{ group: 'caption/word', direct: true, focus: { kind: 'text', cells: [scene.text!.cell] }, answers: ten(scene.text!.word) }];
  const out: Reading[] = [];
  for (const o of scene.objects) {
    const focus: Focus = { kind: 'objects', cells: [o.cell] };
    out.push({ group: 'caption/color', focus, answers: ten(o.color) }, { group: 'caption/shape', focus, answers: ten(o.shape) });
    if (scene.version === 2) out.push({ group: 'caption/pattern', focus, answers: ten(patternOf(o)) });
  }
  if (scene.dots) out.push({ group: 'caption/dots', focus: { kind: 'dots', cells: [scene.dots.cell] }, answers: ten(String(scene.dots.points.length)) });
  return out;
}

function probeItems(set: keyof WorldEvalSets, items: readonly (WorldVqaItem | WorldCaptionItem)[]): ProbeItem[] {
  return items.map((it) => ({
    image: it.image,
    readings: 'references' in it ? captionReadings(it, set === 'textCaptions') : vqaReadings(it, set),
  }));
}

/** The fixed features of one reading's region in one view. */
function features(view: RgbImage, r: number, focus: Focus): Float64Array {
  if (focus.kind === 'whole') return regionFeatures(view, WHOLE, 8);
  const parts = focus.cells.map((c) => {
    const box: Box = cellBox(c);
    const region = regionFeatures(view, box, 4);
    if (focus.kind === 'text') return concat(region, readingFeatures(view, grow(box, 1)));
    if (focus.kind === 'dots') return concat(region, oneHot(blobCount(view, r, box), 10));
    return region;
  });
  return concat(...parts);
}

function concat(...parts: Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function oneHot(i: number, n: number): Float64Array {
  const v = new Float64Array(n);
  v[Math.min(i, n - 1)] = 1;
  return v;
}

/** The template reader's word: the best-scoring of its reads at the two word sizes (text features end with the reading features). */
function wordRead(f: Float64Array): string {
  const reads = f.subarray(f.length - (2 * WORDS.length + 2), f.length - 2);
  let best = 0;
  for (let k = 1; k < reads.length; k++) if (reads[k] > reads[best]) best = k;
  return WORDS[best % WORDS.length];
}

/** VQA accuracy of one answer against ten: min(1, matches / 3). */
function vqaScore(answer: string, answers: readonly string[]): number {
  return Math.min(1, answers.filter((a) => a === answer).length / 3);
}

function majority(answers: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const a of answers) counts.set(a, (counts.get(a) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0][0];
}

/** Mean over items of the mean score of each item's readings, in %. */
function taskScore(items: ProbeItem[], answer: (item: number, reading: number) => string): number {
  let total = 0;
  items.forEach((it, i) => {
    total += it.readings.reduce((s, rd, j) => s + vqaScore(answer(i, j), rd.answers), 0) / it.readings.length;
  });
  return (100 * total) / items.length;
}

/** One probe row per task: chance and the score at each size. */
export function probeWorld(opts: ProbeOptions): ProbeRow[] {
  const nItems = opts.items ?? 200;
  const nTrain = opts.trainItems ?? 600;
  const tasks = PROBED_TASKS.filter(([name]) => !opts.tasks || opts.tasks.includes(name));
  if (opts.tasks) {
    const unknown = opts.tasks.filter((t) => !PROBED_TASKS.some(([name]) => name === t));
    if (unknown.length > 0) throw new Error(`probe: unknown task(s) ${unknown.join(', ')}; probed tasks: ${PROBED_TASKS.map(([n]) => n).join(', ')}`);
  }
  const zero = Object.fromEntries(Object.keys(DEFAULT_EVAL_SIZES).map((set) => [set, 0]));
  return tasks.map(([name, set]) => {
    // NoCaps' held-out pairs never occur in training: its classifiers learn from ordinary captions
    const trainSet = set === 'heldoutCaptions' ? 'captions' : set;
    const test = probeItems(set, worldEvalSets(opts.seed, { ...zero, [set]: nItems }, { version: opts.version })[set] as (WorldVqaItem | WorldCaptionItem)[]);
    const train = probeItems(
      trainSet,
      worldEvalSets(opts.seed, { ...zero, [trainSet]: nTrain }, { version: opts.version, split: 'shots' })[trainSet] as (WorldVqaItem | WorldCaptionItem)[],
    );
    const trainByGroup = new Map<string, { item: number; reading: number }[]>();
    train.forEach((it, i) => it.readings.forEach((rd, j) => trainByGroup.set(rd.group, [...(trainByGroup.get(rd.group) ?? []), { item: i, reading: j }])));
    const labelOf = (rd: Reading) => majority(rd.answers);
    const chanceAnswer = new Map([...trainByGroup].map(([g, refs]) => [g, majority(refs.map((x) => labelOf(train[x.item].readings[x.reading])))]));
    const chance = taskScore(test, (i, j) => chanceAnswer.get(test[i].readings[j].group) ?? '');
    const scores: Record<number, number> = {};
    for (const r of opts.sizes) {
      opts.onProgress?.(name, r);
      const trainViews = train.map((it) => throughResolution(it.image, r));
      const testViews = test.map((it) => throughResolution(it.image, r));
      // readings of one item that look at the same cells (a caption object's colour, shape, pattern) share features
      const cache = new Map<string, Float64Array>();
      const cached = (side: string, i: number, view: RgbImage, focus: Focus) => {
        const key = `${side}/${i}/${focus.kind}/${focus.kind === 'whole' ? '' : focus.cells.join(',')}`;
        let f = cache.get(key);
        if (!f) cache.set(key, (f = features(view, r, focus)));
        return f;
      };
      const predicted = test.map((it) => it.readings.map(() => ''));
      test.forEach((it, i) =>
        it.readings.forEach((rd, j) => {
          if (rd.direct) predicted[i][j] = wordRead(cached('test', i, testViews[i], rd.focus));
        }),
      );
      for (const [group, refs] of trainByGroup) {
        if (refs.every((ref) => train[ref.item].readings[ref.reading].direct)) continue;
        const labels = [...new Set(refs.map((x) => labelOf(train[x.item].readings[x.reading])))].sort();
        const x = refs.map((ref) => cached('train', ref.item, trainViews[ref.item], train[ref.item].readings[ref.reading].focus));
        const y = refs.map((ref) => oneHot(labels.indexOf(labelOf(train[ref.item].readings[ref.reading])), labels.length));
        const model = labels.length > 1 ? fitRidge(x, y) : null;
        test.forEach((it, i) =>
          it.readings.forEach((rd, j) => {
            if (rd.group !== group) return;
            if (!model) return void (predicted[i][j] = labels[0]);
            const out = predictRidge(model, cached('test', i, testViews[i], rd.focus));
            predicted[i][j] = labels[out.indexOf(Math.max(...out))];
          }),
        );
      }
      // readings of a kind no training item had stay unanswered ('' scores 0)
      scores[r] = taskScore(test, (i, j) => predicted[i][j]);
    }
    return { task: name, items: test.length, chance, scores };
  });
}

/** The table as markdown: task, chance, one column per size, and the mean row. */
export function probeTable(rows: ProbeRow[], sizes: number[]): string {
  const fmt = (v: number) => v.toFixed(1);
  const lines = [
    `| task | items | chance | ${sizes.map((s) => `${s} px`).join(' | ')} |`,
    `|---|---:|---:|${sizes.map(() => '---:').join('|')}|`,
    ...rows.map((r) => `| ${r.task} | ${r.items} | ${fmt(r.chance)} | ${sizes.map((s) => fmt(r.scores[s])).join(' | ')} |`),
  ];
  const mean = (f: (r: ProbeRow) => number) => fmt(rows.reduce((s, r) => s + f(r), 0) / rows.length);
  lines.push(`| **mean** | | ${mean((r) => r.chance)} | ${sizes.map((s) => mean((r) => r.scores[s])).join(' | ')} |`);
  return lines.join('\n');
}
