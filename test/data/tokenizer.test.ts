import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { loadTokenizer, saveTokenizer, tokenizerFromJson, type TokenizerFile } from '../../src/data/tokenizer.js';
import { wordTokenizer } from '../../src/data/word_tokenizer.js';

const WORDS = ['a', 'red', 'cube', 'left', 'of', 'the', 'sphere'];
// Ids: 10 specials, then 12 punctuation marks ('.' = 10, ',' = 11, '?' = 12), then words from 22.
const A = 22,
  RED = 23,
  CUBE = 24,
  LEFT = 25,
  OF = 26,
  THE = 27,
  SPHERE = 28;

test('word tokenizer: ids, lowercase, punctuation, unknown words', () => {
  const tok = wordTokenizer(WORDS);
  assert.deepEqual(tok.encode('A red cube, left of the Sphere.'), [A, RED, CUBE, 11, LEFT, OF, THE, SPHERE, 10]);
  assert.deepEqual(tok.encode('a blue cube?'), [A, 3, CUBE, 12]);
  assert.equal(tok.decode([A, RED, CUBE, 11, LEFT, OF, THE, SPHERE, 10]), 'a red cube, left of the sphere.');
  assert.equal(tok.decode([]), '');
  assert.equal(tok.vocabSize, 29);
  assert.deepEqual(tok.special, { pad: 0, bos: 1, eos: 2, image: 4, imageStart: 5, imageEnd: 6 });
  assert.deepEqual(tok.roles, { user: 7, assistant: 8, end: 9 });
});

test('word tokenizer rejects entries the pre-tokenizer would split', () => {
  assert.throws(() => wordTokenizer(['red cube']), /"red cube".*separate words/);
  assert.throws(() => wordTokenizer(["don't"]), /"don't"/);
});

test('word tokenizer saves a tokenizer.json that Hugging Face tokenizers loads back', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mm1-tok-'));
  const path = join(dir, 'tokenizer.json');
  const tok = wordTokenizer(WORDS);
  await saveTokenizer(tok, path);
  const json = JSON.parse(readFileSync(path, 'utf8'));
  assert.equal(json.model.type, 'WordLevel');
  // The library itself, with no mm1 code in between.
  const hf = new Tokenizer(json, { unk_token: '<unk>' });
  const text = 'The red cube, left of a sphere?';
  assert.deepEqual(hf.encode(text, { add_special_tokens: false }).ids, tok.encode(text));
  assert.deepEqual(hf.encode('<image> a <|end|>', { add_special_tokens: false }).ids, [4, A, 9]);
  const back = await loadTokenizer(path);
  assert.deepEqual(back.encode(text), tok.encode(text));
  assert.equal(back.decode(back.encode(text)), 'the red cube, left of a sphere?');
  assert.deepEqual(back.special, tok.special);
  assert.deepEqual(back.roles, tok.roles);
});

/** A hand-written byte-pair tokenizer.json as an imported model would ship (no mm1 tokens). */
function tinyBpe(): TokenizerFile {
  const vocab = { '<|endoftext|>': 0, h: 1, e: 2, l: 3, o: 4, he: 5, ll: 6, hell: 7, hello: 8 };
  return {
    version: '1.0',
    added_tokens: [{ id: 0, content: '<|endoftext|>', special: true, normalized: false, single_word: false, lstrip: false, rstrip: false }],
    normalizer: null,
    pre_tokenizer: { type: 'Whitespace' },
    post_processor: null,
    decoder: null,
    model: { type: 'BPE', vocab, merges: ['h e', 'l l', 'he ll', 'hell o'], unk_token: null, ignore_merges: false },
  };
}

test('imported tokenizer: roles must exist, or are added on request, or are named', () => {
  assert.throws(() => tokenizerFromJson(tinyBpe(), {}, 'tiny.json'), /tiny\.json: no token for role 'image'.*addMissing/);
  const tok = tokenizerFromJson(tinyBpe(), { addMissing: true });
  assert.deepEqual(tok.encode('hello hell'), [8, 7]);
  assert.equal(tok.special.pad, 0); // <|endoftext|> doubles as pad, bos and eos, as in GPT-2
  assert.equal(tok.special.eos, 0);
  assert.deepEqual([tok.special.image, tok.special.imageStart, tok.special.imageEnd], [9, 10, 11]);
  assert.deepEqual(tok.roles, { user: 12, assistant: 13, end: 14 });
  assert.equal(tok.vocabSize, 15);
  assert.deepEqual(tok.encode('hello<image>'), [8, 9]);
  const named = tokenizerFromJson(tinyBpe(), { tokens: { image: 'o', user: 'h', assistant: 'e', end: 'l' } });
  assert.deepEqual([named.special.image, named.roles!.user, named.special.imageStart], [4, 1, undefined]);
  assert.throws(() => tokenizerFromJson(tinyBpe(), { tokens: { image: '<img>' } }), /tried '<img>'/);
});

test('loadTokenizer names the file when it is not a tokenizer.json', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mm1-tok-'));
  const path = join(dir, 'broken.json');
  writeFileSync(path, '{"model": ');
  await assert.rejects(loadTokenizer(path), new RegExp(`Cannot load tokenizer ${path}`));
});
