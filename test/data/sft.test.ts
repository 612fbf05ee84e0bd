import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IGNORE_INDEX } from '../../src/data/packed_batch.js';
import { BatchStream } from '../../src/data/batches.js';
import { tokenizeConversation, tokenizePrompt } from '../../src/data/chat.js';
import type { Conversation } from '../../src/data/document.js';
import { validatePackedBatch } from '../../src/data/packing_check.js';
import { wordTokenizer } from '../../src/data/word_tokenizer.js';
import { tagSlots, taggedImage, WORDS } from './gen.js';

const tok = wordTokenizer([...WORDS, 'what', 'it']);
const w = (s: string) => tok.encode(s);
const { bos, image: IMG } = tok.special;
const { user: U, assistant: A, end: E } = tok.roles!;

const conv: Conversation = {
  id: 'c1',
  turns: [
    {
      role: 'user',
      segments: [
        { kind: 'image', image: taggedImage(5) },
        { kind: 'text', text: 'what is the small cube?' },
      ],
    },
    { role: 'assistant', segments: [{ kind: 'text', text: 'a red cube.' }] },
    { role: 'user', segments: [{ kind: 'text', text: 'is it big?' }] },
    { role: 'assistant', segments: [{ kind: 'text', text: 'small.' }] },
  ],
};

test('chat template tokens and a loss mask on exactly the answers and their <|end|>', () => {
  const t = tokenizeConversation(conv, tok, { tokensPerImage: 2, markers: false });
  const expectIds = [bos, U, IMG, IMG, ...w('what is the small cube?'), E, A, ...w('a red cube.'), E, U, ...w('is it big?'), E, A, ...w('small.'), E];
  assert.deepEqual(t.ids, expectIds);
  const answerAt = new Set<number>();
  const firstAnswer = expectIds.indexOf(A) + 1;
  for (let i = firstAnswer; i < firstAnswer + 5; i++) answerAt.add(i); // 'a red cube .' + <|end|>
  const secondAnswer = expectIds.lastIndexOf(A) + 1;
  for (let i = secondAnswer; i < secondAnswer + 3; i++) answerAt.add(i); // 'small .' + <|end|>
  assert.deepEqual(
    [...t.loss]
      .map((l, i) => [i, l])
      .filter(([, l]) => l)
      .map(([i]) => i),
    [...answerAt],
  );
  const prompt = tokenizePrompt({ id: 'p', turns: [conv.turns[0]] }, tok, { tokensPerImage: 2, markers: false });
  assert.deepEqual(prompt.ids, [bos, U, IMG, IMG, ...w('what is the small cube?'), E, A]);
  assert.ok(prompt.loss.every((l) => l === 0));
});

test('packed SFT batch: targets exist exactly where the next token is an answer token', async () => {
  const config = { B: 1, T: 40, N: 1, tokensPerCrop: 2, images: tagSlots(), seed: 3 };
  const stream = new BatchStream(tok, [{ name: 'sft', weight: 1, open: (start: number) => [conv].slice(start) }], config);
  const batch = await stream.next();
  validatePackedBatch(batch, tok.special);
  const t = tokenizeConversation(conv, tok, { tokensPerImage: 2, markers: false });
  const n = t.ids.length;
  assert.deepEqual([...batch.tokens.subarray(0, n)], t.ids);
  for (let p = 0; p < n; p++) {
    const want = p + 1 < n && t.loss[p + 1] ? t.ids[p + 1] : IGNORE_INDEX;
    assert.equal(batch.targets[p], want, `position ${p}`);
  }
  const supervised = [...batch.targets].filter((x) => x !== IGNORE_INDEX);
  assert.deepEqual(supervised, [...w('a red cube.'), E, ...w('small.'), E]);
});

test('an image in an assistant turn is refused', () => {
  const bad: Conversation = { id: 'bad', turns: [{ role: 'assistant', segments: [{ kind: 'image', image: taggedImage(1) }] }] };
  assert.throws(() => tokenizeConversation(bad, tok, { tokensPerImage: 1, markers: false }), /bad: turn 0 \(assistant\) contains an image/);
});
