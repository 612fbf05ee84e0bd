// Expected lines are the output of Stanford CoreNLP v3.4.1 `PTBTokenizer -preserveLines -lowerCase`
// (compiled from the v3.4.1 tag of stanfordnlp/CoreNLP, run on these captions joined by "\n" as
// pycocoevalcap does), and, for `cocoTokenize`, after pycocoevalcap's punctuation filter.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cocoTokenize, ptbTokenizeLines } from '../../src/eval/metrics/ptb_tokenizer.js';

const CASES: [caption: string, ptb: string, coco: string][] = [
  ['A man riding a wave on top of a surfboard.', 'a man riding a wave on top of a surfboard .', 'a man riding a wave on top of a surfboard'],
  [
    "The dog's ball isn't \"red\" (it's blue)!",
    "the dog 's ball is n't `` red '' -lrb- it 's blue -rrb- !",
    "the dog 's ball is n't red -lrb- it 's blue -rrb-",
  ],
  [
    'Two   colour-ful cats... on a 3.5-inch mat, $5 each; U.S.A. & co.',
    'two colour-ful cats ... on a 3.5-inch mat , $ 5 each ; u.s.a. & co. .',
    'two colour-ful cats on a 3.5-inch mat $ 5 each u.s.a. & co.',
  ],
  [
    "He can't, won't, and cannot go; 'twas gonna rain.",
    "he ca n't , wo n't , and can not go ; 't was gon na rain .",
    "he ca n't wo n't and can not go 't was gon na rain",
  ],
  [
    "A sign reads 'STOP' -- next to a 1,000-lb. weight.",
    "a sign reads ` stop ' -- next to a 1,000-lb . weight .",
    'a sign reads stop next to a 1,000-lb weight',
  ],
  ["Mr. Smith's cat sleeps at 5:30 p.m. on Jan. 3rd", "mr. smith 's cat sleeps at 5:30 p.m. on jan. 3rd", "mr. smith 's cat sleeps at 5:30 p.m. on jan. 3rd"],
  ['', '', ''],
  ['...', '...', ''],
  // the next caption starts with a capital, so "etc." is also a sentence end: "etc." "."
  ['They sell hats, etc.', 'they sell hats , etc. .', 'they sell hats etc.'],
  ['The end', 'the end', 'the end'],
  // ... but not before a lower-case line
  ['Fruit, nuts, etc.', 'fruit , nuts , etc.', 'fruit nuts etc.'],
  ['and more', 'and more', 'and more'],
  [
    'A t-shirt [size L] {new} <b>bold</b>',
    'a t-shirt -lsb- size l -rsb- -lcb- new -rcb- <b> bold </b>',
    'a t-shirt -lsb- size l -rsb- -lcb- new -rcb- <b> bold </b>',
  ],
  [
    'A \u201csmart\u201d phone\u2019s screen\u2014cracked \u00bd off',
    "a `` smart '' phone 's screen -- cracked 1/2 off",
    "a smart phone 's screen cracked 1/2 off",
  ],
  [
    "rock'n'roll at o'clock, y'all love 'em '90s hits",
    "rock 'n' roll at o'clock , y' all love 'em '90s hits",
    "rock 'n' roll at o'clock y' all love 'em '90s hits",
  ],
  ['Pizza \u{1F355} with cheese', 'pizza with cheese', 'pizza with cheese'],
];

test('PTB lines match CoreNLP 3.4.1 on captions lexed as one stream', () => {
  assert.deepEqual(
    ptbTokenizeLines(CASES.map((c) => c[0])),
    CASES.map((c) => c[1]),
  );
});

test('cocoTokenize drops the punctuation tokens but keeps lower-cased brackets', () => {
  assert.deepEqual(
    cocoTokenize(CASES.map((c) => c[0])),
    CASES.map((c) => c[2]),
  );
});

test('line context matters: the same caption tokenises differently before a capital', () => {
  assert.deepEqual(ptbTokenizeLines(['etc.', 'A']), ['etc. .', 'a']);
  assert.deepEqual(ptbTokenizeLines(['etc.', 'a']), ['etc.', 'a']);
  assert.deepEqual(ptbTokenizeLines(['etc.']), ['etc. .']); // end of input counts as sentence end
});

test('line breaks inside a caption do not shift later captions', () => {
  assert.deepEqual(ptbTokenizeLines(['a\nb', 'c\rd', 'e\u2028f']), ['a b', 'c d', 'e f']);
});
