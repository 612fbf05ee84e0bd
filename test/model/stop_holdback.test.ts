import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StopHoldback } from '../../src/model/infer/stop_holdback.js';

const feed = (h: StopHoldback, pieces: string[]) => pieces.map((p) => h.push(p));

test('without stop strings every piece passes straight through', () => {
  const h = new StopHoldback();
  assert.deepEqual(feed(h, ['a', 'b ', 'c']), ['a', 'b ', 'c']);
  assert.equal(h.finish('ab c'), '');
});

test('a possible stop-string start is held back until it is resolved either way', () => {
  const h = new StopHoldback(['\n\nQ:']);
  // "\n" could start "\n\nQ:": held; "\n\nA" cannot: released.
  assert.deepEqual(feed(h, ['one', '\n', '\nA', 'nd']), ['one', '', '\n\nA', 'nd']);
  const h2 = new StopHoldback(['\n\nQ:']);
  assert.deepEqual(feed(h2, ['one\n', '\nQ', ':', ' more']), ['one', '', '', '']);
  assert.equal(h2.finish('one'), '');
});

test('a stop string inside one piece cuts it; several stop strings: the earliest wins', () => {
  const h = new StopHoldback(['END', 'ST']);
  assert.deepEqual(feed(h, ['abc', 'dEND xSTy']), ['abc', 'd']);
  const h2 = new StopHoldback(['xyz', 'b']);
  assert.deepEqual(feed(h2, ['aab xyz']), ['aa']);
});

test('finish adds what the final text has beyond the released text, and nothing if they disagree', () => {
  const h = new StopHoldback(['##']);
  assert.deepEqual(feed(h, ['hello #']), ['hello ']);
  assert.equal(h.finish('hello #'), '#'); // the model ended on a lone '#': it belongs to the answer
  const h2 = new StopHoldback([]);
  feed(h2, ['abc']);
  assert.equal(h2.finish('xyz'), '');
});
