// Conversations through a Hugging Face tokenizer's own Jinja chat template (ChatML here, as
// SmolLM2 and Qwen2.5 ship it): the rendered text is the template's, loss falls exactly on each
// answer and its end-of-turn token, and images sit where their placeholders were.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tokenizeConversation, tokenizePrompt } from '../../src/data/chat.js';
import type { Conversation } from '../../src/data/document.js';
import { tokenizerFromJson } from '../../src/data/tokenizer.js';
import { bpeTokenizerFiles, CHATML_TEMPLATE } from '../helpers/hf_dirs.js';
import { solid } from './fixtures.js';

const files = bpeTokenizerFiles();
const tok = tokenizerFromJson(files.json as never, { addMissing: true, config: files.config });
const run = { tokensPerImage: 3, markers: false };
const picture = solid(6, 4, [200, 10, 10]);
const conv: Conversation = {
  id: 'c1',
  turns: [
    {
      role: 'user',
      segments: [
        { kind: 'image', image: picture },
        { kind: 'text', text: '\nWhat colour is it?' },
      ],
    },
    { role: 'assistant', segments: [{ kind: 'text', text: 'It is red.' }] },
    { role: 'user', segments: [{ kind: 'text', text: 'Sure?' }] },
    { role: 'assistant', segments: [{ kind: 'text', text: 'Yes.' }] },
  ],
};
const decode = (ids: number[]) => tok.decode(ids);

test("the whole conversation is the template's text, with k image tokens where the image was", () => {
  const doc = tokenizeConversation(conv, tok, run);
  const img = '<image>'.repeat(3);
  assert.equal(
    decode(doc.ids),
    `<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\n${img}\nWhat colour is it?<|im_end|>\n<|im_start|>assistant\nIt is red.<|im_end|>\n<|im_start|>user\nSure?<|im_end|>\n<|im_start|>assistant\nYes.<|im_end|>\n`,
  );
  assert.equal(doc.images.length, 1);
  assert.deepEqual(doc.ids.slice(doc.images[0].at, doc.images[0].at + 3), [tok.special.image, tok.special.image, tok.special.image]);
});

test('loss is on each answer and its <|im_end|>, nothing else (not the role header, not the newline after)', () => {
  const doc = tokenizeConversation(conv, tok, run);
  // Contiguous runs of loss positions, decoded.
  const runs: string[] = [];
  let cur: number[] = [];
  doc.ids.forEach((id, i) => {
    if (doc.loss[i]) cur.push(id);
    else if (cur.length) {
      runs.push(decode(cur));
      cur = [];
    }
  });
  if (cur.length) runs.push(decode(cur));
  assert.deepEqual(runs, ['It is red.<|im_end|>', 'Yes.<|im_end|>']);
});

test('a generation prompt ends with the open assistant header and trains nothing', () => {
  const prompt = tokenizePrompt({ id: 'p', turns: conv.turns.slice(0, 1) }, tok, run);
  assert.ok(decode(prompt.ids).endsWith('What colour is it?<|im_end|>\n<|im_start|>assistant\n'));
  assert.equal(
    prompt.loss.reduce((a, b) => a + b, 0),
    0,
  );
});

test('a template that rewrites earlier turns is refused by name, since answer spans cannot be found', () => {
  // Puts the number of messages in the system line: every render differs from the one before at the start.
  const unstable = tokenizerFromJson(files.json as never, {
    addMissing: true,
    config: { ...files.config, chat_template: '{{ messages|length }}' + CHATML_TEMPLATE },
  });
  assert.throws(() => tokenizeConversation(conv, unstable, run), /c1: the chat template is not prefix-stable/);
});
