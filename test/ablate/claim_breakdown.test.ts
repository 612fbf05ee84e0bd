import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aggregate, IMAGE_AVG, type RunRecord } from '../../src/ablate/aggregate.js';
import { breakDownClaim, type ClaimBreakdown } from '../../src/ablate/claim_breakdown.js';
import { axisEffect, effectBeats, groupBeats, type Measure } from '../../src/ablate/claims.js';
import type { ItemScores, RunResult } from '../../src/ablate/runner.js';
import type { Variant } from '../../src/ablate/study.js';

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const close = (a: number | undefined, b: number, msg: string) => assert.ok(a !== undefined && Math.abs(a - b) < 1e-9, `${msg}: got ${a}, expected ${b}`);

// Two tasks × three items, shots 0 and 4, two seeds. The 32 px variant scores BASE (+1 on seed 1);
// the 64 px variant adds these per-item gains to it (seed, task, shot). Chosen by hand so that
// captioning gains and question answering loses, and the seeds and shots disagree on how much:
//   caption/cider: seed 0: 0-shot +6,+4,+8 (mean +6), 4-shot +2,+4,+6 (+4) → +5; seed 1: +5 and +3 → +4.
//                  Δ = (5 + 4) / 2 = +4.5
//   vqa/accuracy:  seed 0: 0-shot −10,−12,−14 (−12), 4-shot −8 each → −10; seed 1: −9 and −11 → −10.
//                  Δ = −10
//   avg/image over 0/4: (4.5 − 10) / 2 = −2.75; at 0-shot (5.5 − 10.5) / 2 = −2.5; at 4-shot (3.5 − 9.5) / 2 = −3.
const BASE: Record<string, Record<string, number[]>> = {
  'caption/cider': { '0': [10, 20, 30], '4': [14, 24, 34] },
  'vqa/accuracy': { '0': [50, 60, 70], '4': [55, 65, 75] },
};
const GAIN: Record<string, Record<string, number[]>>[] = [
  { 'caption/cider': { '0': [6, 4, 8], '4': [2, 4, 6] }, 'vqa/accuracy': { '0': [-10, -12, -14], '4': [-8, -8, -8] } },
  { 'caption/cider': { '0': [5, 5, 5], '4': [3, 3, 3] }, 'vqa/accuracy': { '0': [-9, -9, -9], '4': [-11, -11, -11] } },
];

function results() {
  const variants: Variant[] = [32, 64].map((res) => ({ id: `r${res}`, label: `${res} px`, axes: { res }, config: {} }));
  const runs: RunRecord[] = variants.flatMap((v, vi) =>
    [0, 1].map((seed) => {
      const items: ItemScores = {};
      const metrics: RunResult['metrics'] = {};
      for (const [task, byShot] of Object.entries(BASE)) {
        items[task] = {};
        metrics[task] = {};
        for (const [shot, xs] of Object.entries(byShot)) {
          const scores = xs.map((x, i) => x + seed + (vi === 1 ? GAIN[seed][task][shot][i] : 0));
          items[task][shot] = Object.fromEntries(scores.map((x, i) => [`${task}#${i}`, x]));
          metrics[task][shot] = mean(scores);
        }
      }
      return { variantId: v.id, seed, key: `${v.id}-${seed}`, dir: '', cached: false, result: { metrics, items, wallSeconds: 1 } };
    }),
  );
  return aggregate(variants, runs);
}

const overall: Measure = { metric: IMAGE_AVG, shots: 'all' };
const high = { select: { res: 64 }, label: '64 px' };
const low = { select: { res: 32 }, label: '32 px' };
const highBeatsLow = groupBeats({ id: 'hi', text: 'higher resolution helps', better: high, worse: low, measure: overall });
// The same id: the bootstrap stream is seeded by the claim's id, so both draw the same resamples.
const lowBeatsHigh = groupBeats({ id: 'hi', text: 'lower resolution helps', better: low, worse: high, measure: overall });

const HAND: Record<string, number> = { 'caption/cider': 4.5, 'vqa/accuracy': -10, '0-shot': -2.5, '4-shot': -3 };

function byPart(b: ClaimBreakdown | undefined): Map<string, ClaimBreakdown['parts'][number]> {
  assert.ok(b && !b.problem, JSON.stringify(b));
  return new Map(b.parts.map((p) => [p.part, p]));
}

test('each task and each shot count of a claim gets the hand-computed Δ, inside its own interval', () => {
  const r = results();
  const claim = highBeatsLow.evaluate(r);
  close(claim.delta, -2.75, 'the claim itself');
  const b = breakDownClaim(r, highBeatsLow);
  const parts = byPart(b);
  assert.deepEqual([...parts.keys()], ['caption/cider', 'vqa/accuracy', '0-shot', '4-shot'], 'tasks first, then shot counts');
  assert.deepEqual(
    b!.parts.map((p) => p.kind),
    ['task', 'task', 'shots', 'shots'],
  );
  for (const [name, hand] of Object.entries(HAND)) {
    const p = parts.get(name)!;
    close(p.delta, hand, name);
    assert.ok(p.ci![0] <= p.delta! && p.delta! <= p.ci![1], `${name}: ${JSON.stringify(p)}`);
    assert.equal(p.note, undefined, name);
  }
  // Items disagree within seed 0, so the caption interval has width; vqa at 4-shot is −8 / −11 on every item of a seed.
  assert.ok(parts.get('caption/cider')!.ci![0] < parts.get('caption/cider')!.ci![1]);
  assert.equal(parts.get('caption/cider')!.on, 'caption/cider over 0/4-shot');
  assert.equal(parts.get('4-shot')!.on, 'avg/image at 4-shot');
  assert.equal(b!.orientation, '64 px − 32 px');
  assert.equal(b!.replicates, 2000);
  // Linear claim, same items and seeds: the task parts average to the claim, and so do the shot parts.
  close(mean([HAND['caption/cider'], HAND['vqa/accuracy']]), claim.delta!, 'tasks average to the claim');
  close(mean([HAND['0-shot'], HAND['4-shot']]), claim.delta!, 'shots average to the claim');
});

test("the parts take the claim's orientation: the reversed claim gives every part negated", () => {
  const r = results();
  const fwd = byPart(breakDownClaim(r, highBeatsLow));
  const rev = breakDownClaim(r, lowBeatsHigh);
  assert.equal(rev!.orientation, '32 px − 64 px');
  for (const [name, p] of byPart(rev)) {
    close(p.delta, -HAND[name], `${name} reversed`);
    close(p.ci![0], -fwd.get(name)!.ci![1], `${name} reversed lower bound`);
  }
});

test('a claim on one task at one shot count has no parts, and says why', () => {
  const single = groupBeats({ id: 's', text: 't', better: high, worse: low, measure: { metric: 'caption/cider', shots: ['0'] } });
  const b = breakDownClaim(results(), single);
  assert.deepEqual(b?.parts, []);
  assert.match(b.problem!, /one task at one shot count/);
  // One task over two shot counts: shot parts only.
  const twoShots = groupBeats({ id: 's2', text: 't', better: high, worse: low, measure: { metric: 'caption/cider', shots: 'all' } });
  const parts = byPart(breakDownClaim(results(), twoShots));
  assert.deepEqual([...parts.keys()], ['0-shot', '4-shot']);
  close(parts.get('0-shot')!.delta, 5.5, 'caption at 0-shot');
});

test('a claim that cannot be paired is not broken down; a claim not built from a comparison has no breakdown', () => {
  const r = results();
  for (const vr of r.variants) for (const run of vr.runs) delete run.items;
  assert.match(breakDownClaim(r, highBeatsLow)!.problem!, /^the claim itself was not decided$/);
  assert.equal(breakDownClaim(r, { id: 'x', text: 't', evaluate: () => ({ verdict: 'inconclusive', evidence: '' }) }), undefined);
});

test("a difference of effects is broken down by the claim's own statistic: here 2 × the group difference, part by part", () => {
  // The gain of 32 → 64 px minus the gain of 64 → 32 px is twice the 64 − 32 px difference.
  const twice = effectBeats({
    id: 'e',
    text: 't',
    larger: axisEffect('res', 32, 64, 'up'),
    smaller: axisEffect('res', 64, 32, 'down'),
    measure: overall,
  });
  const b = breakDownClaim(results(), twice);
  assert.equal(b!.orientation, '(up) − (down)');
  for (const [name, p] of byPart(b)) {
    close(p.delta, 2 * HAND[name], name);
    assert.ok(p.ci![0] <= p.delta! && p.delta! <= p.ci![1], name);
  }
});
