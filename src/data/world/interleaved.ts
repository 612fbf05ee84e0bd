// Interleaved documents: 2–8 pictures with text that refers to them and across them. Most
// documents repeat one pattern (a caption, or a question and answer) picture after picture,
// so a model learns to continue a pattern it has seen in context: few-shot ability.
import type { Rng } from '../../engine/rng.js';
import type { RgbImage, Segment } from '../document.js';
import { captionsFor, denseCaption } from './captions.js';
import { cellPhrase, countedPhrase, fullPhrase, groupByKind, joinList, numberWord, pickReference, readingOrder } from './describe.js';
import { captionText, qaText } from './formats.js';
import { FACTS } from './knowledge.js';
import { COLORS, ORDINALS, SHAPES, SIZES, isHeldoutCombo, type WorldVersion } from './lexicon.js';
import { renderScene } from './render.js';
import { drawText, generateScene, placeObject, sceneSplitOf, type Scene, type SceneOptions } from './scene.js';
import { NAMES } from './stories.js';
import { degradeImage, drawDegradation, vizwizQuestion } from './vizwiz.js';
import { majorityAnswer, questionTypesOf, vqaOfType } from './vqa.js';

/** Collects segments, joining neighbouring texts with a space. */
class DocBuilder {
  readonly segments: Segment[] = [];
  readonly scenes: Scene[] = [];
  constructor(
    private readonly imageSize: number,
    readonly version: WorldVersion,
  ) {}
  text(s: string): void {
    const last = this.segments[this.segments.length - 1];
    if (last?.kind === 'text') last.text += ` ${s}`;
    else this.segments.push({ kind: 'text', text: s });
  }
  /** `spoil`: what the picture goes through after rendering (VizWiz-style degradations). */
  image(scene: Scene, spoil: (image: RgbImage) => RgbImage = (i) => i): void {
    this.scenes.push(scene);
    this.segments.push({ kind: 'image', image: spoil(renderScene(scene, this.imageSize)) });
  }
}

type Template = (rng: Rng, doc: DocBuilder) => void;

const kindList = (s: Scene) => joinList(groupByKind(readingOrder(s)).map(([n, c, sh]) => countedPhrase(n, [c], sh)));
const scene = (rng: Rng, doc: DocBuilder, opts: SceneOptions = {}) => generateScene(rng, { split: 'train', version: doc.version, ...opts });
const pictures = (n: number) => (n === 1 ? 'one picture' : `${numberWord(n)} pictures`);

const captionSeries: Template = (rng, doc) => {
  const n = 2 + rng.int(7);
  const style = rng.int(4);
  if (rng.next() < 0.4) doc.text(`here are ${pictures(n)}.`);
  for (let i = 0; i < n; i++) {
    const s = scene(rng, doc);
    doc.image(s);
    if (style === 0) doc.text(captionText(captionsFor(s, rng)[0]));
    if (style === 1) doc.text(captionsFor(s, rng)[0]);
    if (style === 2) doc.text(`the ${ORDINALS[i]} picture shows ${kindList(s)}.`);
    if (style === 3) doc.text(denseCaption(s));
  }
};

const qaSeries: Template = (rng, doc) => {
  const n = 2 + rng.int(7);
  const types = questionTypesOf(doc.version);
  const type = rng.pick(types);
  const second = rng.next() < 0.3 ? rng.pick(types.filter((t) => t !== 'read')) : null;
  for (let i = 0; i < n; i++) {
    for (;;) {
      const s = scene(rng, doc, { requireText: type === 'read' });
      const q = vqaOfType(s, rng, type);
      if (!q) continue;
      doc.image(s);
      doc.text(qaText(q.question, majorityAnswer(q.answers)));
      const q2 = second ? vqaOfType(s, rng, second) : null;
      if (q2) doc.text(qaText(q2.question, majorityAnswer(q2.answers)));
      break;
    }
  }
};

const comparison: Template = (rng, doc) => {
  const [a, b] = [scene(rng, doc), scene(rng, doc)];
  const interleave = rng.next() < 0.5;
  doc.image(a);
  if (interleave) doc.text(`the first picture shows ${kindList(a)}.`);
  doc.image(b);
  if (!interleave) doc.text(`the first picture shows ${kindList(a)}.`);
  doc.text(`${rng.pick(['the next one', 'the second picture'])} shows ${kindList(b)}.`);
  const [na, nb] = [a.objects.length, b.objects.length];
  doc.text(
    na === nb
      ? 'the two pictures have the same number of shapes.'
      : `the ${na > nb ? 'first' : 'second'} picture has more shapes than the ${na > nb ? 'second' : 'first'}.`,
  );
  const shared = COLORS.filter((c) => a.objects.some((o) => o.color === c) && b.objects.some((o) => o.color === c));
  doc.text(shared.length > 0 ? `both pictures have ${countedPhrase(1, [shared[0]], 'shape')}.` : 'no color is in both pictures.');
  if (a.text || b.text) {
    doc.text(a.text && b.text ? 'both pictures have a word.' : `only the ${a.text ? 'first' : 'second'} picture has a word.`);
  }
};

/** One change to a scene, told as a sentence; null if the change is not possible here. */
function change(rng: Rng, s: Scene, who: string): [Scene, string] | null {
  const free = [0, 1, 2, 3, 4, 5, 6, 7, 8].filter((c) => !s.objects.some((o) => o.cell === c) && s.text?.cell !== c && s.dots?.cell !== c);
  const kind = rng.int(4);
  if (kind === 0 && free.length > 0 && s.objects.length < 4) {
    const color = rng.pick(COLORS.filter((c) => c !== s.background.color));
    const o = placeObject(rng, rng.pick(SHAPES), color, rng.pick(SIZES), rng.pick(free));
    return [{ ...s, objects: [...s.objects, o] }, `then ${who} adds ${fullPhrase(o)} ${cellPhrase(o.cell)}.`];
  }
  const target = rng.pick(s.objects);
  const ref = pickReference(rng, s, target)!; // the cell phrase always refers
  if (kind === 1 && s.objects.length > 1) {
    return [{ ...s, objects: s.objects.filter((o) => o !== target) }, `then ${who} takes away ${ref}.`];
  }
  if (kind === 2) {
    const color = rng.pick(COLORS.filter((c) => c !== s.background.color && c !== target.color));
    const objects = s.objects.map((o) => (o === target ? { ...o, color } : o));
    return [{ ...s, objects }, `then ${who} paints ${ref} ${color}.`];
  }
  if (kind === 3 && !s.text && free.length > 0) {
    const text = drawText(rng, rng.pick(free));
    return [{ ...s, text }, `then ${who} writes the word ${text.word} ${cellPhrase(text.cell)}.`];
  }
  return null;
}

const evolving: Template = (rng, doc) => {
  const [name] = rng.pick(NAMES);
  let s = scene(rng, doc, { maxObjects: 2, textProbability: 0 });
  doc.image(s);
  doc.text(`at first the picture shows ${kindList(s)}.`);
  for (let step = 1 + rng.int(4); step > 0;) {
    const next = change(rng, s, rng.next() < 0.5 ? name : 'someone');
    if (!next) continue;
    const held = next[0].objects.some((o) => isHeldoutCombo(o.shape, o.color));
    if (held || sceneSplitOf(next[0]) !== 'train') continue; // keep evaluation scenes out of training
    [s] = next;
    doc.image(s);
    doc.text(next[1]);
    step--;
  }
  const n = s.objects.length;
  doc.text(n === 1 ? 'now there is one shape.' : `now there are ${numberWord(n)} shapes.`);
};

const totals: Template = (rng, doc) => {
  const scenes = Array.from({ length: 2 + rng.int(2) }, () => scene(rng, doc, { maxObjects: 3 }));
  scenes.forEach((s) => doc.image(s));
  const counts = scenes.map((s) => s.objects.length);
  const total = counts.reduce((x, y) => x + y, 0);
  doc.text(`in all the pictures there are ${numberWord(total)} shapes.`);
  const most = Math.max(...counts);
  if (counts.filter((c) => c === most).length === 1) {
    doc.text(`the ${ORDINALS[counts.indexOf(most)]} picture has the most shapes.`);
  }
};

const withFacts: Template = (rng, doc) => {
  for (let i = 1 + rng.int(3); i > 0; i--) {
    const s = scene(rng, doc);
    doc.image(s);
    doc.text(captionsFor(s, rng)[0]);
    const shape = rng.pick(s.objects).shape;
    const facts = FACTS.filter((f) => f.statement.startsWith(`a ${shape} `));
    if (facts.length > 0) doc.text(rng.pick(facts).statement);
  }
};

/** v2, the VizWiz counterpart: questions about badly taken pictures, some answered "unanswerable". */
const spoiledQaSeries: Template = (rng, doc) => {
  for (let n = 2 + rng.int(5); n > 0;) {
    const s = scene(rng, doc);
    const d = drawDegradation(rng);
    const q = vizwizQuestion(s, rng, d);
    if (!q) continue;
    doc.image(s, (img) => degradeImage(img, d));
    doc.text(qaText(q.question, majorityAnswer(q.answers)));
    n--;
  }
};

const TEMPLATES: [Template, number][] = [
  [captionSeries, 3],
  [qaSeries, 3],
  [comparison, 1],
  [evolving, 1],
  [totals, 1],
  [withFacts, 1],
];
const TEMPLATES_V2: [Template, number][] = [...TEMPLATES, [spoiledQaSeries, 1]];

/** One interleaved document with pictures of imageSize pixels, and the scenes drawn in it. */
export function interleavedDocument(rng: Rng, imageSize: number, version: WorldVersion = 1): { segments: Segment[]; scenes: Scene[] } {
  const doc = new DocBuilder(imageSize, version);
  const templates = version === 2 ? TEMPLATES_V2 : TEMPLATES;
  let r = rng.next() * templates.reduce((sum, [, w]) => sum + w, 0);
  for (const [template, weight] of templates) {
    r -= weight;
    if (r < 0) {
      template(rng, doc);
      break;
    }
  }
  return { segments: doc.segments, scenes: doc.scenes };
}
