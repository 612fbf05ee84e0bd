// Every answer, caption and picture of the world agrees with its scene graph: answers are
// recomputed by an independent solver, captions are checked claim by claim, and pixels are
// read back from the rendered image.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../src/engine/rng.js';
import { captionsFor, denseCaption, textCaptionsFor } from '../../src/data/world/captions.js';
import { worldConversationSample } from '../../src/data/world/conversations.js';
import { worldEvalSets } from '../../src/data/world/eval_sets.js';
import { BACKGROUND_RGB, CELL_PHRASES, COLORS, COLOR_RGB, NUMBER_WORDS, SHAPES, SHAPE_PLURALS, SIZES } from '../../src/data/world/lexicon.js';
import { renderScene } from '../../src/data/world/render.js';
import { RADIUS, generateScene, type Scene } from '../../src/data/world/scene.js';
import { worldSample } from '../../src/data/world/sources.js';
import { QUESTION_TYPES, vqaOfType } from '../../src/data/world/vqa.js';
import { REL, canonical, solve } from './world_solver.js';

const scenes = (seed: number, n: number, requireText = false): Scene[] => {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => generateScene(rng, { requireText }));
};

test('every question type: all ten answers agree with an independent solver', () => {
  const rng = new Rng(11);
  const seen = new Set<string>();
  for (const scene of [...scenes(1, 300), ...scenes(2, 100, true)]) {
    for (const type of QUESTION_TYPES) {
      const q = vqaOfType(scene, rng, type);
      if (!q) continue;
      seen.add(type);
      assert.equal(q.answers.length, 10);
      const expected = solve(scene, q.question);
      for (const a of q.answers) assert.equal(canonical(a), expected, `${q.question} -> ${a} (expected ${expected})`);
      assert.equal(q.answerType, type === 'count' ? 'number' : /^(yes|no)$/.test(expected) ? 'yes/no' : 'other');
    }
  }
  assert.deepEqual([...seen].sort(), [...QUESTION_TYPES].sort());
});

test('evaluation items, interleaved Q/A and conversations agree with the solver', () => {
  const sets = worldEvalSets(4, { captions: 0, textCaptions: 0, vqa: 80, textVqa: 20, gqa: 60, heldoutCaptions: 0, heldoutVqa: 60 }, { imageSize: 16 });
  for (const item of [...sets.vqa, ...sets.textVqa, ...sets.gqa, ...sets.heldoutVqa]) {
    const expected = solve(item.scene!, item.question);
    for (const a of item.answers) assert.equal(canonical(a), expected, `${item.id}: ${item.question}`);
  }
  assert.ok(
    sets.gqa.every((i) => new Set(i.answers).size === 1),
    'GQA items have one answer',
  );
  let checked = 0;
  for (let i = 0; i < 150; i++) {
    const { document, scenes: drawn } = worldSample('interleaved', 3, i, { imageSize: 16 });
    let picture = -1;
    for (const seg of document.segments) {
      if (seg.kind === 'image') picture++;
      else
        for (const m of seg.text.matchAll(/question: (.+?\?) answer: (.+?)\./g)) {
          assert.equal(canonical(m[2]), solve(drawn[picture], m[1]), `${document.id}: ${m[0]}`);
          checked++;
        }
    }
    const { conversation, scene } = worldConversationSample(3, i, { imageSize: 16 });
    const turns = conversation.turns.map((t) => t.segments.flatMap((s) => (s.kind === 'text' ? [s.text] : [])).join(' '));
    for (let t = 0; scene && t < turns.length; t += 2) {
      if (turns[t].endsWith('?') && !turns[t].startsWith('what is in')) {
        assert.equal(canonical(turns[t + 1]), solve(scene, turns[t]), `${conversation.id}: ${turns[t]}`);
        checked++;
      }
    }
  }
  assert.ok(checked > 200, `only ${checked} Q/A pairs checked`);
});

/** Checks every claim a caption makes: colours, shapes, counts, relations, the word, the background. */
function assertCaptionTrue(scene: Scene, caption: string): void {
  const words = caption.replace(/[.,]/g, '').split(' ');
  const shapeOf = (w: string) => ((SHAPES as readonly string[]).includes(w) ? w : Object.entries(SHAPE_PLURALS).find(([, p]) => p === w)?.[0]);
  words.forEach((w, i) => {
    if (words[i + 1] === 'background') assert.equal(w, scene.background.color, caption);
    else if ((COLORS as readonly string[]).includes(w) && words[i - 1] !== 'word' && words[i - 2] !== 'says') {
      assert.ok(
        scene.objects.some((o) => o.color === w),
        `"${caption}" names colour ${w}`,
      );
    }
    if (w === 'word' || w === 'says') assert.equal(words[i + 1], scene.text?.word, caption);
    const shape = shapeOf(w);
    if (!shape && w !== 'shapes') return;
    let j = i - 1;
    const adjectives: string[] = [];
    while (j >= 0 && [...SIZES, ...COLORS].includes(words[j] as never)) adjectives.push(words[j--]);
    const matches = scene.objects.filter((o) => (!shape || o.shape === shape) && adjectives.every((a) => o.size === a || o.color === a));
    if (shape) assert.ok(matches.length > 0, `"${caption}": no ${adjectives.join(' ')} ${shape}`);
    const n = (NUMBER_WORDS as readonly string[]).indexOf(words[j]);
    if (n >= 2 && (shape || adjectives.length === 0)) assert.equal(matches.length, n, `"${caption}": count of ${w}`);
  });
  for (const m of caption.matchAll(/an? (\w+) (\w+) (to the left of|to the right of|above|below) an? (\w+) (\w+)/g)) {
    const holds = scene.objects.some(
      (a) => a.color === m[1] && a.shape === m[2] && scene.objects.some((b) => b !== a && b.color === m[4] && b.shape === m[5] && REL[m[3]](a, b)),
    );
    assert.ok(holds, `"${caption}": relation does not hold`);
  }
}

test('captions mention only objects that exist, with true counts, places and relations', () => {
  const rng = new Rng(5);
  for (const scene of [...scenes(6, 300), ...scenes(7, 60, true)]) {
    for (const c of captionsFor(scene, rng)) assertCaptionTrue(scene, c);
    if (scene.text) for (const c of textCaptionsFor(scene, rng)) assert.ok(c.includes(scene.text.word), c);
    for (const c of captionsFor(scene, rng)) {
      const m = c.match(/^an? (small|large) (\w+) (\w+) (in the|at the|on the) ([\w ]+)\.$/);
      if (m)
        assert.ok(
          scene.objects.some((o) => o.color === m[2] && o.shape === m[3] && CELL_PHRASES[o.cell] === `${m[4]} ${m[5]}`),
          c,
        );
    }
  }
});

test('the dense caption states every object with size, colour, shape and place, and nothing else', () => {
  for (const scene of scenes(8, 200)) {
    const dense = denseCaption(scene);
    assertCaptionTrue(scene, dense);
    for (const o of scene.objects) {
      assert.ok(dense.includes(`${o.size} ${o.color} ${o.shape} is ${CELL_PHRASES[o.cell]}.`), dense);
    }
    assert.equal(dense.match(/ (is|written) (in|at|on) the /g)?.length ?? 0, scene.objects.length + (scene.text ? 1 : 0), dense);
  }
});

test('pixels: each object shows its exact colour inside, and only occupied cells hold foreign pixels', () => {
  const size = 128;
  for (const scene of scenes(9, 150)) {
    const img = renderScene(scene, size);
    const px = (x: number, y: number) => Array.from(img.data.subarray(3 * (y * size + x), 3 * (y * size + x) + 3));
    for (const o of scene.objects) {
      const dx = o.shape === 'ring' ? 0.75 * RADIUS[o.size] : 0; // the ring's centre is its hole
      assert.deepEqual(px(Math.floor((o.x + dx) * size), Math.floor(o.y * size)), [...COLOR_RGB[o.color]], `${o.color} ${o.shape}`);
    }
    const bg = BACKGROUND_RGB[scene.background.color];
    for (let cell = 0; cell < 9; cell++) {
      let foreign = 0;
      for (let y = 0; y < size; y++) {
        for (let x = 0; x < size; x++) {
          if (Math.floor((3 * (x + 0.5)) / size) + 3 * Math.floor((3 * (y + 0.5)) / size) !== cell) continue;
          if (px(x, y).some((v, c) => Math.abs(v - bg[c]) > 40)) foreign++;
        }
      }
      const occupied = scene.objects.some((o) => o.cell === cell) || scene.text?.cell === cell;
      assert.equal(foreign > 0, occupied, `cell ${cell} of ${JSON.stringify(scene.objects)} has ${foreign} foreign pixels`);
    }
  }
});
