// World v2 (docs/world.md): v1 stays byte-identical when asked for explicitly, new runs get
// v2, and v2's detail lives at the scales it was designed for — checked on the pixels.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import type { RgbImage } from '../../src/data/document.js';
import { downscaleBox } from '../../src/data/world/box_filter.js';
import { captionsFor, denseCaption } from '../../src/data/world/captions.js';
import { worldEvalSets } from '../../src/data/world/eval_sets.js';
import { FACTS } from '../../src/data/world/knowledge.js';
import { UNANSWERABLE } from '../../src/data/world/lexicon.js';
import { renderScene } from '../../src/data/world/render.js';
import { generateScene, type Scene } from '../../src/data/world/scene.js';
import { WORLD_SOURCE_KINDS, worldDocument } from '../../src/data/world/sources.js';
import { answerable } from '../../src/data/world/vizwiz.js';
import { splitWorldText, worldCorpusText, worldVocabulary } from '../../src/data/world/vocabulary.js';
import { vqaFor } from '../../src/data/world/vqa.js';
import { Rng } from '../../src/engine/rng.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkpointPath, saveCheckpoint } from '../../src/engine/checkpoint.js';
import { DataConfigSchema, parsePretrainConfig } from '../../src/train/config.js';
import { ClaimedRunDir } from '../../src/train/run_dir.js';
import { withAddedSettings } from '../../src/train/settings_added.js';

// The digest pinned in world_determinism.test.ts (v1 as it was before v2 existed).
const V1_GOLDEN = 'ede92bfd2e26e748ad9f26075e4ce4b43505e8b5b0a488c36e41f1e89d75d644';

test('v1 asked for by version gives the pinned v1 bytes; streams default to v1 bytes too', () => {
  const rng = new Rng(2024);
  const h = createHash('sha256');
  for (let i = 0; i < 200; i++) {
    const scene = generateScene(rng, { textProbability: 0.5, version: 1 });
    h.update(renderScene(scene, 128).data);
    h.update([...captionsFor(scene, rng), denseCaption(scene), ...vqaFor(scene, rng).map((q) => q.question + q.answers)].join('\n'));
  }
  assert.equal(h.digest('hex'), V1_GOLDEN);
  for (const kind of WORLD_SOURCE_KINDS) {
    const a = JSON.stringify(worldDocument(kind, 5, 3, { imageSize: 32 }), (_k, v) => (v instanceof Uint8Array ? [...v] : v));
    const b = JSON.stringify(worldDocument(kind, 5, 3, { imageSize: 32, version: 1 }), (_k, v) => (v instanceof Uint8Array ? [...v] : v));
    assert.equal(a, b, kind);
  }
});

test('new run configs are v2; v2 scenes differ from v1 scenes', () => {
  assert.equal(DataConfigSchema.parse({}).version, 2);
  assert.equal(DataConfigSchema.parse({ version: 1 }).version, 1);
  assert.throws(() => DataConfigSchema.parse({ version: 3 }));
  const v2 = generateScene(new Rng(1), { version: 2 });
  assert.equal(v2.version, 2);
  assert.ok(v2.objects.every((o) => o.pattern !== undefined));
});

/** Largest per-channel difference between two images inside the square's interior (pixels
 *  52..75 of 128, scaled): edge pixels mix in the background and are not mean-preserving. */
function maxDiff(a: RgbImage, b: RgbImage): number {
  const f = a.width / 128;
  let m = 0;
  for (let y = Math.ceil(52 * f); y < 76 * f; y++) {
    for (let x = Math.ceil(52 * f); x < 76 * f; x++) {
      for (let c = 0; c < 3; c++) m = Math.max(m, Math.abs(a.data[3 * (y * a.width + x) + c] - b.data[3 * (y * a.width + x) + c]));
    }
  }
  return m;
}

test('stripes survive 64 px and vanish at 32; checks vanish already at 64', () => {
  const base: Scene = {
    version: 2,
    dots: null,
    text: null,
    background: { color: 'white', style: 'plain', vertical: false, seed: 0 },
    objects: [{ shape: 'square', color: 'blue', size: 'large', cell: 4, x: 0.5, y: 0.5, pattern: 'plain' }],
  };
  const withPattern = (pattern: 'plain' | 'striped' | 'checkered') => renderScene({ ...base, objects: [{ ...base.objects[0], pattern }] }, 128);
  const plain = withPattern('plain');
  const striped = withPattern('striped');
  const checkered = withPattern('checkered');
  assert.ok(maxDiff(striped, plain) >= 50 && maxDiff(checkered, plain) >= 50, 'patterns are visible at 128');
  // the mean colour of every 4x4 (stripes) and 2x2 (checks) block aligned to the grid is the plain colour: only rounding differs
  assert.ok(maxDiff(downscaleBox(striped, 4), downscaleBox(plain, 4)) <= 1, 'stripes must vanish at 32 px');
  assert.ok(maxDiff(downscaleBox(striped, 2), downscaleBox(plain, 2)) >= 40, 'stripes must survive 64 px');
  assert.ok(maxDiff(downscaleBox(checkered, 2), downscaleBox(plain, 2)) <= 1, 'checks must vanish at 64 px');
});

test('v2 text stays in its closed vocabulary, and v1 vocabulary is unchanged', () => {
  const v1 = worldVocabulary(1);
  const v2 = new Set(worldVocabulary(2));
  assert.equal(v1.length, 211, 'v1 tokenizer ids must not move');
  assert.ok(v1.every((w) => v2.has(w)));
  const texts = [...worldCorpusText(2, 150, 2)];
  const sets = worldEvalSets(
    2,
    { captions: 40, textCaptions: 20, vqa: 60, textVqa: 20, gqa: 20, vizwiz: 60, okvqa: 60, heldoutCaptions: 20, heldoutVqa: 30 },
    { imageSize: 8, version: 2 },
  );
  for (const it of [...sets.captions, ...sets.textCaptions, ...sets.heldoutCaptions]) texts.push(...it.references);
  for (const it of [...sets.vqa, ...sets.textVqa, ...sets.gqa, ...sets.heldoutVqa, ...sets.vizwiz, ...sets.okvqa]) texts.push(it.question, ...it.answers);
  for (const t of texts) for (const w of splitWorldText(t)) assert.ok(v2.has(w), `"${w}" (in "${t}") is missing from worldVocabulary(2)`);
});

test('OK-VQA answers are the facts that text documents state', () => {
  const { okvqa } = worldEvalSets(4, { okvqa: 120 }, { imageSize: 8, version: 2 });
  const statements = new Set(FACTS.map((f) => f.statement));
  let checked = 0;
  for (const it of okvqa) {
    const answer = it.answers.find((a) => it.answers.filter((b) => b === a).length >= 7)!;
    const m = /^how many (sides|corners) does /.exec(it.question);
    if (m) {
      const obj = it.scene!.objects.find((o) => o.cell === it.focusCells![0])!;
      const amount = answer === 'zero' ? 'no' : answer;
      assert.ok(statements.has(`a ${obj.shape} has ${amount} ${m[1]}.`), `${it.question} -> ${answer} for a ${obj.shape}`);
      checked++;
    }
    if (it.question.startsWith('can the animal')) {
      const w = it.scene!.text!.word;
      assert.ok(statements.has(`${/^[aeiou]/.test(w) ? 'an' : 'a'} ${w} can${answer === 'yes' ? '' : ' not'} fly.`), `${it.question} -> ${answer} for ${w}`);
      checked++;
    }
  }
  assert.ok(checked >= 30, `only ${checked} items checked`);
});

test('VizWiz: blur makes reading unanswerable, a thumb hides what is under it, darkness hides nothing', () => {
  const read = { question: 'what word is written?', answers: [], answerType: 'other' as const, questionType: 'read' as const, focusCells: [2] };
  const color = { ...read, questionType: 'color' as const };
  assert.equal(answerable(read, { kind: 'blur' }), false);
  assert.equal(answerable(color, { kind: 'blur' }), true);
  assert.equal(answerable(read, { kind: 'cover', strip: 'right' }), false); // cell 2 is the top right
  assert.equal(answerable(read, { kind: 'cover', strip: 'bottom' }), true);
  assert.equal(answerable(read, { kind: 'dark' }), true);
  const { vizwiz } = worldEvalSets(3, { vizwiz: 150 }, { imageSize: 32, version: 2 });
  const un = vizwiz.filter((i) => i.answers.every((a) => a === UNANSWERABLE)).length;
  assert.ok(un > 20 && un < 100, `${un} of 150 unanswerable: want a real share of both kinds`);
  for (const it of vizwiz) if (it.degradation === 'dark') assert.ok(!it.answers.includes(UNANSWERABLE), 'dark pictures keep every answer');
});

test('a run.json from before v2 (no data.version) resumes as v1, never as v2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mm1-v1run-'));
  try {
    const fresh = parsePretrainConfig({ recipe: 'tiny', train: { steps: 2, batchSize: 1, seqLen: 16, maxImages: 1, lr: 1e-3 } });
    const old = { ...fresh, data: Object.fromEntries(Object.entries(fresh.data).filter(([k]) => k !== 'version')) };
    ClaimedRunDir.claim(dir, old, false); // as an older mm1 wrote it
    const w = { dtype: 'float32' as const, shape: [1], data: new Float32Array([0]) };
    saveCheckpoint(checkpointPath(dir, 1), { model: { w }, state: { step: 1, config: old, dataCursor: null, rng: {}, metrics: {} } });
    assert.throws(() => ClaimedRunDir.claim(dir, fresh, true), /settings differ/, 'a v1 run must not continue on v2 data');
    const asV1 = parsePretrainConfig({ ...fresh, data: { ...fresh.data, version: 1 } });
    assert.equal(ClaimedRunDir.claim(dir, asV1, true).path, dir);
    assert.deepEqual(withAddedSettings({ data: { source: 'llava' } }), { data: { source: 'llava', version: 2 } });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
