// Evaluation sets of the world, by benchmark analogue. Pictures come from the 'eval' scene
// split (one scene graph in eight, by hash, never drawn for training) or the 'heldout' split
// (only shape×colour pairs training never shows); text items use held-out stories.
// split 'shots' draws the same kinds of items from training scenes, for few-shot examples.
import { Rng } from '../../engine/rng.js';
import { captionsFor, textCaptionsFor } from './captions.js';
import type { WorldCaptionItem, QuestionType, WorldVqaItem, WorldEvalSets, WorldEvalSizes } from './eval_items.js';
import { renderScene } from './render.js';
import type { WorldVersion } from './lexicon.js';
import { generateScene, type SceneOptions, type SceneSplit } from './scene.js';
import { clozeItems, multipleChoiceItems, openQaItems } from './text.js';
import { degradeImage, drawDegradation, vizwizQuestion } from './vizwiz.js';
import { majorityAnswer, vqaOfType } from './vqa.js';

export const DEFAULT_EVAL_SIZES: Required<WorldEvalSizes> = {
  captions: 200,
  textCaptions: 100,
  vqa: 400,
  textVqa: 100,
  gqa: 200,
  vizwiz: 200,
  okvqa: 200,
  heldoutCaptions: 100,
  heldoutVqa: 200,
  multipleChoice: 200,
  cloze: 200,
  openQa: 120,
};

export interface WorldEvalOptions {
  /** 'test' (default): items disjoint from training. 'shots': items from training scenes, for in-context examples. */
  split?: 'test' | 'shots';
  imageSize?: number;
  /** World version of the pictures (default 1; `mm1 eval` passes the run's version, default 2). */
  version?: WorldVersion;
}

function captionSet(rng: Rng, n: number, prefix: string, size: number, opts: SceneOptions, textual: boolean): WorldCaptionItem[] {
  return Array.from({ length: n }, (_, i) => {
    const scene = generateScene(rng, opts);
    const references = textual ? textCaptionsFor(scene, rng) : captionsFor(scene, rng);
    return { id: `${prefix}:${i}`, image: renderScene(scene, size), references, scene };
  });
}

/** Items cycle through `types`; scenes that cannot carry a type are redrawn. */
function vqaSet(rng: Rng, n: number, prefix: string, size: number, opts: SceneOptions, types: QuestionType[], single = false): WorldVqaItem[] {
  return Array.from({ length: n }, (_, i) => {
    for (;;) {
      const scene = generateScene(rng, opts);
      const q = vqaOfType(scene, rng, types[i % types.length]);
      if (!q) continue;
      const answers = single ? Array<string>(10).fill(majorityAnswer(q.answers)) : q.answers;
      return { id: `${prefix}:${i}`, image: renderScene(scene, size), ...q, answers, scene };
    }
  });
}

/** VizWiz analogue: a question, then the picture spoiled; answers say "unanswerable" where it no longer holds them. */
function vizwizSet(rng: Rng, n: number, prefix: string, size: number, opts: SceneOptions): WorldVqaItem[] {
  return Array.from({ length: n }, (_, i) => {
    for (;;) {
      const scene = generateScene(rng, opts);
      const d = drawDegradation(rng);
      const q = vizwizQuestion(scene, rng, d);
      if (!q) continue;
      const degradation = d.kind === 'cover' ? `cover-${d.strip}` : d.kind;
      return { id: `${prefix}:${i}`, image: degradeImage(renderScene(scene, size), d), ...q, scene, degradation };
    }
  });
}

/** All evaluation sets for `seed`; sizes default to DEFAULT_EVAL_SIZES (0 skips a set). */
export function worldEvalSets(seed: number, sizes: WorldEvalSizes = {}, opts: WorldEvalOptions = {}): WorldEvalSets {
  const split = opts.split ?? 'test';
  const size = opts.imageSize ?? 128;
  const n = { ...DEFAULT_EVAL_SIZES, ...sizes };
  const root = new Rng(seed).fork(split === 'test' ? 'eval' : 'shots');
  const scenes: SceneSplit = split === 'test' ? 'eval' : 'train';
  const p = (name: string) => `world:${split}:${name}`;
  const r = (name: string) => root.fork(name);
  const stories = split === 'test' ? 'eval' : 'train';
  const version = opts.version ?? 1;
  const v2 = version === 2;
  return {
    captions: captionSet(r('captions'), n.captions, p('coco'), size, { split: scenes, version }, false),
    textCaptions: captionSet(r('textcaps'), n.textCaptions, p('textcaps'), size, { split: scenes, requireText: true, version }, true),
    vqa: vqaSet(
      r('vqa'),
      n.vqa,
      p('vqav2'),
      size,
      { split: scenes, version },
      v2 ? ['color', 'shape', 'count', 'exist', 'pattern', 'dots'] : ['color', 'shape', 'count', 'exist'],
    ),
    textVqa: vqaSet(r('textvqa'), n.textVqa, p('textvqa'), size, { split: scenes, requireText: true, version }, ['read']),
    gqa: vqaSet(r('gqa'), n.gqa, p('gqa'), size, { split: scenes, minObjects: 2, version }, ['relation'], true),
    vizwiz: vizwizSet(r('vizwiz'), n.vizwiz, p('vizwiz'), size, { split: scenes, version }),
    okvqa: vqaSet(r('okvqa'), n.okvqa, p('okvqa'), size, { split: scenes, version, textProbability: 0.7 }, ['knowledge']),
    heldoutCaptions: captionSet(r('heldout-captions'), n.heldoutCaptions, p('heldout-coco'), size, { split: 'heldout', version }, false),
    heldoutVqa: vqaSet(r('heldout-vqa'), n.heldoutVqa, p('heldout-vqa'), size, { split: 'heldout', version }, [
      'color',
      'shape',
      'count',
      'exist',
      'where',
      'relation',
      ...(v2 ? (['pattern'] as const) : []),
    ]),
    multipleChoice: multipleChoiceItems(r('mc'), n.multipleChoice, p('mc'), stories),
    cloze: clozeItems(r('cloze'), n.cloze, p('cloze'), stories),
    openQa: openQaItems(r('openqa'), n.openQa, p('openqa')),
  };
}
