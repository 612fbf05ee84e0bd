// Expected values: pycocoevalcap @ ad63453 (salaniz/pycocoevalcap) Bleu(4), Rouge(), Cider()
// run with Python 3.11 + NumPy 2.4 on the same pre-tokenised captions; the full pipeline case
// also ran CoreNLP 3.4.1's PTBTokenizer (compiled from source) first. Values compared exactly.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bleuScore } from '../../src/eval/metrics/bleu.js';
import { scoreCaptions } from '../../src/eval/metrics/caption_scores.js';
import { ciderDScore } from '../../src/eval/metrics/cider.js';
import { rougeLScore, rougeLSentence } from '../../src/eval/metrics/rouge.js';

const REFS = [
  ['a dog runs on the grass', 'a brown dog is running outside'],
  ['two cats sleep on a sofa'], // single reference, empty candidate
  ['a man rides a red bike', 'a person on a bicycle', 'man riding bike down the street'], // one-word candidate
  ['a plate of food with broccoli', 'a plate with rice and broccoli'],
  ['a red car parked', 'a red car parked on the street'], // 5-word candidate between refs of 4 and 6 words
];
const HYPS = ['a dog running on the grass', '', 'bike', 'a plate of rice and broccoli', 'a red car on street'];

test('BLEU-1..4 match pycocoevalcap (corpus and per image)', () => {
  const b = bleuScore(HYPS, REFS);
  assert.deepEqual(b.corpus, [0.6065306596452411, 0.4863064120603879, 0.3736342549045131, 4.4593925833898694e-5]);
  assert.deepEqual(b.perImage[0], [0.9999999996666668, 0, 0.018315638852103033, 0.9999999996666668, 0.9999999998000002]);
  assert.deepEqual(b.perImage[3], [8.408964149138525e-5, 0, 5.791913561715675e-7, 0.00010745699313892367, 9.554427918978294e-5]);
  // 'closest' breaks the 4-vs-6 tie towards 4 words: no brevity penalty for image 4
  assert.equal(b.perImage[0][4], (5 + 1e-15) / (5 + 1e-9));
});

test('ROUGE-L matches pycocoevalcap and the hand formula', () => {
  const r = rougeLScore(HYPS, REFS);
  assert.deepEqual(r.perImage, [0.8333333333333334, 0, 0.25311203319502074, 0.8333333333333334, 0.8356164383561644]);
  assert.equal(r.corpus, 0.5510790276435704);
  // LCS 5 of 6 tokens both ways: F = 2.44 p r / (r + 1.44 p) = 5/6
  assert.equal(rougeLSentence('a dog running on the grass', ['a dog runs on the grass']), 0.8333333333333334);
  assert.equal(rougeLSentence('', ['']), 1); // split(" ") makes both one empty token, as in the reference
});

test('CIDEr-D matches pycocoevalcap, including the one-word (bigram length) case', () => {
  const c = ciderDScore(HYPS, REFS);
  assert.deepEqual(c.perImage, [2.4666689578764878, 0, 0.6029300381434022, 3.624999999999999, 3.5736264056329152]);
  assert.equal(c.corpus, 2.053645080330561);
});

test('CIDEr-D hand-checked: identical captions score 10 x (orders present)/4; one image scores 0', () => {
  // 4 words: all four n-gram orders have cosine 1 -> 10; 2 words: only n=1,2 -> 5
  const c = ciderDScore(['a dog on grass', 'a cat'], [['a dog on grass'], ['a cat']]);
  assert.deepEqual(c.perImage, [10, 5]);
  assert.equal(c.corpus, 7.5);
  assert.equal(ciderDScore(['a dog runs'], [['a dog runs', 'a dog']]).corpus, 0); // idf = log(1) - log(1)
});

test('scoreCaptions tokenises like COCOEvalCap (values from the full Java + Python pipeline)', () => {
  const s = scoreCaptions([
    { candidate: 'a dog running on grass', references: ['A dog runs on the grass.', 'A brown dog running outside.'] },
    { candidate: 'two cats on a couch', references: ['Two cats sleep on a sofa.', 'Cats sleeping on a couch.'] },
  ]);
  const { perImage, ...corpus } = s;
  assert.equal(perImage.length, 2);
  assert.deepEqual(corpus, {
    BLEU_1: 0.9999999998000004,
    BLEU_2: 0.7905694148740992,
    BLEU_3: 0.47051801433203405,
    BLEU_4: 7.14360107238669e-5,
    ROUGE_L: 0.7577712609970675,
    CIDEr: 2.5798075023295723,
  });
});

test('caption scorers reject mismatched inputs', () => {
  assert.throws(() => bleuScore(['a'], []), /1 candidates but 0 reference lists/);
  assert.throws(() => ciderDScore(['a'], [[]]), /image 0 has no references/);
  assert.throws(() => scoreCaptions([]), /no captions/);
});
