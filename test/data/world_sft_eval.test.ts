// The world's MM1-Chat analogues (src/data/world/sft_eval/): POPE-style probes whose absent
// objects are really absent and drawn by POPE's three rules, MME-style pairs (one yes, one no
// per picture, each true of the scene), and multiple-choice items with one right option.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  absentKinds,
  byFrequency,
  cooccurrenceWith,
  imageChoiceItems,
  kindsIn,
  mmePairItems,
  objectKind,
  objectStats,
  popeItems,
  POPE_SPLITS,
  TRAINABLE_KINDS,
  type ObjectKind,
  type ObjectStats,
} from '../../src/data/world/sft_eval/index.js';
import { Rng } from '../../src/engine/rng.js';
import { cellName } from '../../src/data/world/describe.js';
import { COLORS, SHAPES } from '../../src/data/world/lexicon.js';

const opts = { version: 2 as const, imageSize: 16 };
const stats = objectStats(0, 2);
const kindOf = (question: string): ObjectKind => question.match(/^is there an? (.+) in the picture\?$/)![1] as ObjectKind;

test('POPE probes: half yes, half no; every "no" object is absent from the picture and every "yes" one present', () => {
  for (const split of POPE_SPLITS) {
    const items = popeItems(0, split, 120, opts);
    assert.equal(items.length, 120);
    assert.equal(items.filter((i) => i.answer === 'yes').length, 60, split);
    for (const it of items) {
      const present = kindsIn(it.scene);
      assert.equal(present.has(kindOf(it.question)), it.answer === 'yes', `${split} ${it.id}: ${it.question} answered ${it.answer}`);
      assert.ok(TRAINABLE_KINDS.includes(kindOf(it.question)));
    }
  }
  // The three splits ask about the same pictures, as POPE's do.
  const pictures = (split: (typeof POPE_SPLITS)[number]) => popeItems(0, split, 40, opts).map((i) => i.pictureId + JSON.stringify(i.scene.objects));
  assert.deepEqual(pictures('random'), pictures('adversarial'));
});

test('POPE negatives on hand-made statistics: popular = most frequent absent kinds, adversarial = most co-occurring with the present ones', () => {
  const freq = new Map<ObjectKind, number>(TRAINABLE_KINDS.map((k) => [k, 1]));
  freq.set('red star', 100); // present: never a negative
  freq.set('blue circle', 50);
  freq.set('green square', 40);
  const co = new Map<ObjectKind, Map<ObjectKind, number>>(TRAINABLE_KINDS.map((k) => [k, new Map()]));
  co.get('red star')!.set('red circle', 30).set('orange star', 20).set('blue circle', 5);
  const hand: ObjectStats = { pictures: 100, frequency: freq, cooccurrence: co };
  const present = new Set<ObjectKind>(['red star']);
  assert.deepEqual(absentKinds('popular', present, 2, hand, new Rng(1)), ['blue circle', 'green square']);
  assert.deepEqual(absentKinds('adversarial', present, 3, hand, new Rng(1)), ['red circle', 'orange star', 'blue circle']);
  const random = absentKinds('random', present, 5, hand, new Rng(1));
  assert.ok(random.every((k) => k !== 'red star') && new Set(random).size === 5);
});

test('POPE negatives on the world: popular ones outrank every other absent kind in frequency, adversarial ones in co-occurrence', () => {
  const ranked = byFrequency(stats);
  for (const it of popeItems(0, 'popular', 80, opts).filter((i) => i.answer === 'no')) {
    const present = kindsIn(it.scene);
    const absent = ranked.filter((k) => !present.has(k));
    assert.ok(absent.slice(0, 2).includes(kindOf(it.question)), `${it.question}: not among the 2 most frequent absent kinds`);
  }
  for (const it of popeItems(0, 'adversarial', 80, opts).filter((i) => i.answer === 'no')) {
    const present = kindsIn(it.scene);
    const co = (k: ObjectKind) => cooccurrenceWith(stats, k, present);
    const others = TRAINABLE_KINDS.filter((k) => !present.has(k))
      .map(co)
      .sort((a, b) => b - a);
    assert.ok(
      co(kindOf(it.question)) >= others[1],
      `${it.question}: co-occurs ${co(kindOf(it.question))} times, the 2nd most co-occurring absent kind ${others[1]}`,
    );
  }
  // The world repeats a present shape or colour now and then, so adversarial negatives share one
  // with an object in the picture far more often than random ones (what makes POPE's split hard).
  const sharing = (split: 'random' | 'adversarial') => {
    const no = popeItems(0, split, 200, opts).filter((i) => i.answer === 'no');
    return (
      no.filter((it) =>
        it.scene.objects.some((o) =>
          kindOf(it.question)
            .split(' ')
            .some((w) => w === o.color || w === o.shape),
        ),
      ).length / no.length
    );
  };
  assert.ok(sharing('adversarial') > sharing('random') + 0.2, `adversarial ${sharing('adversarial')}, random ${sharing('random')}`);
});

/** The truth of an MME-style question about `scene`, read back from its words. */
function truth(question: string, scene: ReturnType<typeof mmePairItems>[number]['scene']): boolean {
  let m = question.match(/^is there an? (.+) in the picture\?$/);
  if (m) return scene.objects.some((o) => objectKind(o) === m![1]);
  m = question.match(/^(?:is there|are there) (\w+) shapes?\?$/);
  if (m) return ['zero', 'one', 'two', 'three', 'four', 'five'].indexOf(m[1]) === scene.objects.length;
  m = question.match(/^is the word (\w+) written in the picture\?$/);
  if (m) return scene.text?.word === m[1];
  m = question.match(/^is the (.+?) (red|orange|yellow|green|blue|purple|pink|gray)\?$/);
  if (m) {
    const [words, colour] = [m[1].split(' '), m[2]];
    const cell = words.join(' ').match(/^shape (?:in the|at the|on the) (.+)$/)?.[1];
    const obj = scene.objects.filter((o) =>
      cell
        ? ['top left', 'top', 'top right', 'left', 'middle', 'right', 'bottom left', 'bottom', 'bottom right'][o.cell] === cell
        : words.every((w) => w === 'shape' || w === o.size || w === o.shape),
    );
    assert.equal(obj.length, 1, question);
    return obj[0].color === colour;
  }
  m = question.match(/^is the (.+?) (?:in the|at the|on the) (.+)\?$/);
  if (m) {
    const words = m[1].split(' ');
    const obj = scene.objects.filter((o) => words.every((w) => w === 'shape' || w === o.size || w === o.shape || w === o.color));
    assert.equal(obj.length, 1, question);
    return cellName(obj[0].cell) === m[2];
  }
  throw new Error(`unread question ${question}`);
}

test('MME pairs: each picture has one yes and one no question of one subtask, each true of the scene', () => {
  const items = mmePairItems(0, 100, opts);
  const byPicture = new Map<string, typeof items>();
  for (const it of items) byPicture.set(it.pictureId, [...(byPicture.get(it.pictureId) ?? []), it]);
  assert.equal(byPicture.size, 50);
  for (const [picture, qs] of byPicture) {
    assert.deepEqual(qs.map((q) => q.answer).sort(), ['no', 'yes'], picture);
    assert.equal(new Set(qs.map((q) => q.about)).size, 1, picture);
    for (const q of qs) assert.equal(truth(q.question, q.scene), q.answer === 'yes', `${q.id}: ${q.question}`);
  }
  assert.deepEqual([...new Set(items.map((i) => i.about))], ['existence', 'count', 'position', 'color', 'OCR']);
  assert.deepEqual(
    mmePairItems(0, 10, opts).map((i) => i.question),
    items.slice(0, 10).map((i) => i.question),
    'the first n items do not depend on n',
  );
});

test('image multiple choice: four distinct options (three for patterns) of one kind, the right one answering the question', () => {
  const items = imageChoiceItems(0, 60, opts);
  for (const it of items) {
    // Three patterns exist, so pattern questions have three options.
    assert.equal(new Set(it.options).size, it.category === 'pattern' ? 3 : 4, it.id);
    const right = it.options[it.answerIndex];
    if (it.category === 'read') assert.equal(right, it.scene.text!.word, it.id);
    if (it.category === 'color')
      assert.ok(it.scene.objects.some((o) => o.color === right) && it.options.every((o) => (COLORS as readonly string[]).includes(o)), it.id);
    if (it.category === 'shape')
      assert.ok(it.scene.objects.some((o) => o.shape === right) && it.options.every((o) => (SHAPES as readonly string[]).includes(o)), it.id);
    if (it.category === 'pattern')
      assert.ok(
        it.scene.objects.some((o) => o.pattern === right),
        it.id,
      );
  }
  assert.deepEqual([...new Set(items.map((i) => i.category))], ['color', 'shape', 'pattern', 'read', 'relation']);
  assert.notDeepEqual(
    imageChoiceItems(1, 5, opts).map((i) => i.question),
    items.slice(0, 5).map((i) => i.question),
    'another seed, other items',
  );
});
