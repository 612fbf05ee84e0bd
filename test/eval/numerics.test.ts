// Expected values are CPython 3.11 results (math.log / math.exp / x ** y on glibc, numpy.mean,
// round). Each pow/log/exp case is one where V8's Math.* gives a different last bit.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exactExp, exactLog, exactPow } from '../../src/eval/metrics/exact_math.js';
import { numpyMean, numpySum, pyRound, pySplit } from '../../src/compat/python.js';

test('correctly rounded pow, log and exp agree with glibc where V8 does not', () => {
  assert.equal(exactPow(6.173884953605466e-10, 0.3333333333333333), 0.0008515029903420544);
  assert.equal(exactPow(0.0007670192553369728, 0.25), 0.16641848599549044);
  assert.equal(exactLog(3), 1.0986122886681098);
  assert.equal(exactLog(48), 3.871201010907891);
  assert.equal(exactExp(-0.5170658891785715), 0.5962674987638771);
  assert.equal(exactExp(-84.69581969298785), 1.6484389477167816e-37);
  assert.equal(exactPow(Math.E, -1 / 72), 0.9862071167439163); // np.e ** (-1/72): CIDEr's length penalty
  assert.equal(exactLog(1), 0);
  assert.equal(exactPow(0, 0.25), 0);
});

test('numpySum reproduces NumPy pairwise summation, unlike a plain loop', () => {
  const a = Array.from({ length: 1000 }, (_, i) => 1 / (i + 1));
  let loop = 0;
  for (const x of a) loop += x;
  assert.equal(numpySum(a), 7.485470860550345); // np.sum(np.array([1/(i+1) for i in range(1000)]))
  assert.equal(loop, 7.485470860550343); // Python's sum() of the same list
  assert.equal(numpyMean([1, 2, 3, 4]), 2.5);
  assert.ok(Number.isNaN(numpyMean([])));
});

test('pyRound: exact binary value, ties even (Python 3) or away from zero (Python 2)', () => {
  assert.equal(pyRound(2.675, 2), 2.67); // 2.675 is stored as 2.67499999...
  assert.equal(pyRound(12.125, 2), 12.12);
  assert.equal(pyRound(12.125, 2, 'away'), 12.13);
  assert.equal(pyRound(0.375, 2), 0.38);
  assert.equal(pyRound(79.23076923076923, 2), 79.23);
  assert.equal(pyRound(-1.005, 2), -1);
});

test('pySplit uses Python whitespace', () => {
  assert.deepEqual(pySplit(' a\u00a0b\u001fc\ufeffd  '), ['a', 'b', 'c\ufeffd']);
});
