// The command-line side: <image> markers, `mm1 generate`'s streaming with stop strings,
// and the terminal chat loop driven through streams with the echo model.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { RgbImage } from '../../src/data/document.js';
import { parseChatLine, runChat } from '../../src/serve/chat_repl.js';
import { buildCliPrompt, generateOnce } from '../../src/serve/generate_once.js';
import { interleaveImages } from '../../src/serve/prompt_text.js';
import { EchoModel } from './echo_model.js';
import { solidPng } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'mm1-cli-'));
const img = (w: number): RgbImage => ({ width: w, height: 1, data: new Uint8Array(3 * w) });

test('<image> markers take the images in order; without markers images go first', () => {
  const [a, b] = [img(1), img(2)];
  assert.deepEqual(interleaveImages('<image>A cat.\n<image>', [a, b]), [
    { kind: 'image', image: a },
    { kind: 'text', text: 'A cat.\n' },
    { kind: 'image', image: b },
  ]);
  assert.deepEqual(interleaveImages('What is this?', [a, b]), [
    { kind: 'image', image: a },
    { kind: 'image', image: b },
    { kind: 'text', text: 'What is this?' },
  ]);
  assert.deepEqual(interleaveImages('no images', []), [{ kind: 'text', text: 'no images' }]);
  assert.throws(() => interleaveImages('<image> vs <image>', [a]), /2 <image> markers but 1 image was given/);
});

test('generate: images read from files, text streamed, stop string cut even across pieces', async () => {
  const red = join(dir, 'red.png');
  writeFileSync(red, await solidPng([255, 0, 0]));
  const model = new EchoModel({ stepMs: 0 });
  const prompt = await buildCliPrompt({ text: 'Describe <image> briefly', imagePaths: [red], chat: true });
  assert.ok('conversation' in prompt);
  let streamed = '';
  const gen = await generateOnce(model, prompt, { maxNewTokens: 30, temperature: 0, stop: ['d: bri'] }, (s) => (streamed += s));
  assert.equal(gen.text, 'I see 1 image rgb(255,0,0) and you sai');
  assert.equal(streamed, gen.text);
  await assert.rejects(buildCliPrompt({ text: 'x', imagePaths: [join(dir, 'missing.png')], chat: false }), /Cannot read image file .*missing\.png/);
  await assert.rejects(generateOnce(model, prompt, { maxNewTokens: 250 }), /context is 256/);
});

test('chat lines: leading /image commands, quoted paths, the rest is the message', () => {
  assert.deepEqual(parseChatLine('/image a.png /image "my pics/b.png" compare them'), { images: ['a.png', 'my pics/b.png'], text: 'compare them' });
  assert.deepEqual(parseChatLine('  hello /image x.png '), { images: [], text: 'hello /image x.png' });
  assert.deepEqual(parseChatLine('/image a.png'), { images: ['a.png'], text: '' });
});

test('terminal chat: images, multi-turn context, /reset, errors that do not end the session, /quit', async () => {
  const blue = join(dir, 'blue.png');
  writeFileSync(blue, await solidPng([0, 0, 250]));
  const model = new EchoModel({ stepMs: 0, maxImages: 2 });
  const input = new PassThrough();
  const output = new PassThrough();
  let shown = '';
  output.on('data', (d) => (shown += d));
  const done = runChat(model, { maxNewTokens: 40, temperature: 0 }, { input, output });
  input.write(`/image ${blue}\n`);
  input.write('what colour?\n');
  input.write('/image nowhere.png\n');
  input.write(`/image ${blue} and now?\n`);
  input.write(`/image ${blue} a third?\n`); // over this model's limit of 2
  input.write('/reset\n');
  input.write('/bogus\n');
  input.write('/quit\n');
  input.write('never read\n');
  await done;
  assert.match(shown, /\(attached .*blue\.png, 8×8\)/);
  assert.match(shown, /mm1> I see 1 image rgb\(0,0,250\) and you said: what colour\?\n/);
  assert.match(shown, /\(error\) Cannot read image file nowhere\.png/);
  // The second turn still sees the first turn's image: the conversation is kept.
  assert.match(shown, /mm1> I see 2 images rgb\(0,0,250\) rgb\(0,0,250\) and you said: and now\?\n/);
  assert.match(shown, /\(error\) This model takes at most 2 images per conversation; \/reset/);
  assert.match(shown, /\(conversation cleared\)/);
  assert.match(shown, /Unknown command \/bogus/);
  assert.doesNotMatch(shown, /never read/);
  assert.equal(model.calls.length, 2);
});

test('terminal chat: the reply gets what the context has left when --max-tokens asks for more, and a full context is an error', async () => {
  // Context 12: "hi" costs 1 + 1 + 2·1 + 1 = 5 tokens, leaving 7 for a reply of 8 words.
  const model = new EchoModel({ stepMs: 0, contextLength: 12 });
  const input = new PassThrough();
  const output = new PassThrough();
  let shown = '';
  output.on('data', (d) => (shown += d));
  const done = runChat(model, { maxNewTokens: 256, temperature: 0 }, { input, output });
  input.write('hi\n');
  input.write('again\n'); // the conversation now fills the context
  input.write('/quit\n');
  await done;
  assert.equal(model.calls[0].opts.maxNewTokens, 7);
  assert.match(shown, /mm1> I see 0 images and you said: \[…cut at the context \(7 tokens were left; \/reset to start over\)\]/);
  assert.match(shown, /\(error\) This turn's conversation is \d+ tokens and the model's context is 12: no room for a reply\. \/reset/);
  assert.equal(model.calls.length, 1);
});

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const mm1 = (...args: string[]) =>
  new Promise<{ code: number; stderr: string }>((resolve) =>
    execFile(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: ROOT }, (err, _out, stderr) =>
      resolve({ code: err ? Number(err.code ?? 1) : 0, stderr }),
    ),
  );

test('CLI: bad flags and prompts are reported before any model is loaded', async () => {
  const a = await mm1('generate', '--model', dir, '--prompt', '<image><image>', '--image', join(dir, 'blue.png'));
  assert.equal(a.code, 1);
  assert.match(a.stderr, /2 <image> markers but 1 image was given/);
  const b = await mm1('generate', '--model', dir, '--prompt', 'hi', '--temperature', '9');
  assert.notEqual(b.code, 0);
  assert.match(b.stderr, /--temperature.*Expected a number in \[0, 2\]/);
  const c = await mm1('serve', '--model', dir, '--port', 'http');
  assert.match(c.stderr, /--port.*Expected a whole number/);
  const d = await mm1('generate', '--model', dir, '--prompt', 'hi');
  assert.match(d.stderr, /no config.json — is this an mm1 model directory/);
});
