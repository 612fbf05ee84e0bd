// Evaluation never sees a training scene or story: scene graphs drawn by the real training
// streams (every source and the fine-tuning conversations) are compared with the eval sets.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../src/engine/rng.js';
import { worldConversationSample } from '../../src/data/world/conversations.js';
import { worldEvalSets } from '../../src/data/world/eval_sets.js';
import { FACTS } from '../../src/data/world/knowledge.js';
import { isHeldoutCombo } from '../../src/data/world/lexicon.js';
import { generateScene, sceneKey, sceneSplitOf, type Scene } from '../../src/data/world/scene.js';
import { WORLD_SOURCE_KINDS, worldDocument, worldSample } from '../../src/data/world/sources.js';

const SIZES = {
  captions: 150,
  textCaptions: 60,
  vqa: 200,
  textVqa: 60,
  gqa: 100,
  heldoutCaptions: 60,
  heldoutVqa: 100,
  multipleChoice: 100,
  cloze: 100,
  openQa: 60,
};
const evalSets = worldEvalSets(0, SIZES, { imageSize: 8 });
const inDistribution = [...evalSets.captions, ...evalSets.textCaptions, ...evalSets.vqa, ...evalSets.textVqa, ...evalSets.gqa];
const heldout = [...evalSets.heldoutCaptions, ...evalSets.heldoutVqa];

function trainingScenes(seed: number, perKind: number): Scene[] {
  const out: Scene[] = [];
  for (const kind of WORLD_SOURCE_KINDS) for (let i = 0; i < perKind; i++) out.push(...worldSample(kind, seed, i, { imageSize: 8 }).scenes);
  for (let i = 0; i < perKind; i++) {
    const { scene } = worldConversationSample(seed, i, { imageSize: 8 });
    if (scene) out.push(scene);
  }
  return out;
}

test('training streams and eval sets share no scene graph, even with the same seed', () => {
  const train = trainingScenes(0, 400);
  assert.ok(train.length > 2000, `only ${train.length} training scenes`);
  const trainKeys = new Set(train.map(sceneKey));
  for (const s of train) {
    assert.equal(sceneSplitOf(s), 'train', sceneKey(s));
    assert.ok(!s.objects.some((o) => isHeldoutCombo(o.shape, o.color)), `held-out pair in training: ${sceneKey(s)}`);
  }
  for (const item of [...inDistribution, ...heldout]) assert.ok(!trainKeys.has(sceneKey(item.scene!)), item.id);
  for (const item of inDistribution) assert.equal(sceneSplitOf(item.scene!), 'eval', item.id);
});

test('the split rule does real work: independent streams of small scenes do collide', () => {
  // so train and eval are disjoint by the hash rule, not by luck of large spaces
  const keys = (seed: number) => {
    const rng = new Rng(seed);
    return new Set(Array.from({ length: 3000 }, () => sceneKey(generateScene(rng, { maxObjects: 1, textProbability: 0 }))));
  };
  const a = keys(1);
  const overlap = [...keys(2)].filter((k) => a.has(k)).length;
  assert.ok(overlap > 50, `expected collisions between independent streams, got ${overlap}`);
});

test('the held-out split uses only shape×colour pairs that training never draws', () => {
  for (const item of heldout) {
    assert.equal(sceneSplitOf(item.scene!), 'heldout', item.id);
    assert.ok(
      item.scene!.objects.every((o) => isHeldoutCombo(o.shape, o.color)),
      item.id,
    );
  }
  const shots = worldEvalSets(0, { ...SIZES, heldoutCaptions: 0, heldoutVqa: 0 }, { split: 'shots', imageSize: 8 });
  for (const item of [...shots.captions, ...shots.vqa, ...shots.gqa]) assert.equal(sceneSplitOf(item.scene!), 'train', item.id);
});

test('text evaluation: stories are new, the knowledge asked about is taught by training text', () => {
  const training: string[] = [];
  for (let i = 0; i < 3000; i++) {
    for (const s of worldDocument('text', 0, i).segments) if (s.kind === 'text') training.push(s.text);
  }
  const corpus = training.join('\n');
  const isFact = (context: string) => context.startsWith('question:') || FACTS.some((f) => f.statement.startsWith(`${context} `));
  const stories = [...evalSets.cloze, ...evalSets.multipleChoice].filter((it) => !isFact(it.context));
  assert.ok(stories.length > 100);
  for (const it of stories) {
    const ending = 'target' in it ? it.target : it.choices[it.answerIndex];
    assert.ok(!corpus.includes(`${it.context} ${ending}.`), `eval story appears in training text: ${it.context}`);
  }
  for (const item of evalSets.openQa) {
    const fact = FACTS.find((f) => f.question === item.question)!;
    assert.ok(corpus.includes(fact.statement) || corpus.includes(fact.question), `never taught: ${fact.statement}`);
  }
});
