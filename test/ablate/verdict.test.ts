// The verdict rule is mm1's scientific output: these cases pin it at and around its boundary
// on both sides, so a one-line change (e.g. "any negative Δ is not reproduced") fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decide } from '../../src/ablate/verdict.js';

test('an interval wholly above 0 is reproduced; touching or holding 0 is inconclusive', () => {
  assert.equal(decide({ lo: 1e-9, hi: 5 }), 'reproduced');
  assert.equal(decide({ lo: 0.5, hi: 0.5 }), 'reproduced');
  assert.equal(decide({ lo: 0, hi: 5 }), 'inconclusive');
  assert.equal(decide({ lo: -1e-9, hi: 5 }), 'inconclusive');
});

test('an interval wholly below 0 is not reproduced; touching or holding 0 is inconclusive', () => {
  assert.equal(decide({ lo: -5, hi: -1e-9 }), 'not reproduced');
  assert.equal(decide({ lo: -0.5, hi: -0.5 }), 'not reproduced');
  assert.equal(decide({ lo: -5, hi: 0 }), 'inconclusive');
  assert.equal(decide({ lo: -5, hi: 1e-9 }), 'inconclusive');
});

test('the sign of Δ alone decides nothing: mostly negative or mostly positive intervals holding 0 are inconclusive', () => {
  assert.equal(decide({ lo: -3, hi: 0.1 }), 'inconclusive');
  assert.equal(decide({ lo: -0.1, hi: 3 }), 'inconclusive');
  assert.equal(decide({ lo: 0, hi: 0 }), 'inconclusive');
});
