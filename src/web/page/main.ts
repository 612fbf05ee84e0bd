// The exported site's script (bundled as mm1.js by web/bundle.ts): picks the backend, loads
// the model from model/, fills the model card, wires the chat (image by file picker or drop,
// streamed tokens, greedy or sampled) and the training panel. Generation is `mm1 generate`'s
// own path: serve/prompt_text.ts lays the prompt out, serve/generate_once.ts checks and runs it.
import type { RgbImage } from '../../data/document.js';
import type { Mm1Model } from '../../model/infer/api.js';
import { modelFromParts } from '../../model/infer/load.js';
import { generateOnce } from '../../serve/generate_once.js';
import { interleaveImages, promptFrom } from '../../serve/prompt_text.js';
import type { ModelCard } from '../model_card.js';
import { chooseBackend } from './backend.js';
import { decodeInBrowser, imageUrl } from './pixels.js';
import { fetchModelDir } from './site_model.js';
import { setupTraining, trainInWorker } from './train_panel.js';
import { tabTrainingConfig } from '../tab_training.js';
import type { ExecutionProvider } from '../browser_session.js';

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const num = (id: string) => Number($<HTMLInputElement>(id).value);
const status = (text: string) => ($('status').textContent = text);

let model: Mm1Model | null = null;
let picture: RgbImage | null = null;
/** Generations run with the current model (the first one builds the decode graph). */
let runs = 0;

/** {a: 1, b: {c: 2}} as "a 1 · b.c 2": run settings, readable in a table cell. */
function settings(value: unknown, prefix = ''): string {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return `${prefix} ${JSON.stringify(value)}`;
  const parts = Object.entries(value).map(([k, v]) => settings(v, prefix ? `${prefix}.${k}` : k));
  return parts.filter((p) => p !== '').join(' · ');
}

function showCard(card: ModelCard): void {
  const rows: [string, string][] = [
    ['recipe', card.recipe],
    [
      'parameters',
      `${card.params.total.toLocaleString()} (vision ${card.params.vision.toLocaleString()}, connector ${card.params.connector.toLocaleString()}, LLM ${card.params.llm.toLocaleString()})`,
    ],
    ['context', `${card.contextLength} tokens`],
    ['image size', `${card.imageSize} px`],
  ];
  if (card.trainedSteps !== undefined) rows.push(['pretraining steps', String(card.trainedSteps)]);
  const run = card.run as { data?: unknown; encoder?: unknown; train?: unknown } | undefined;
  if (run?.data) rows.push(['training data', settings(run.data)]);
  if (run?.encoder) rows.push(['encoder stage', settings(run.encoder)]);
  if (run?.train) rows.push(['schedule', settings(run.train)]);
  const table = $('card-table');
  table.replaceChildren(
    ...rows.map(([k, v]) => {
      const tr = document.createElement('tr');
      for (const text of [k, v]) tr.appendChild(document.createElement('td')).textContent = text;
      return tr;
    }),
  );
}

async function setPicture(file: File): Promise<void> {
  picture = await decodeInBrowser(file);
  const img = document.createElement('img');
  img.src = imageUrl(picture);
  img.alt = file.name;
  $('preview').replaceChildren(img);
}

async function send(): Promise<void> {
  if (!model) return;
  const button = $<HTMLButtonElement>('send');
  button.disabled = true;
  const out = $('output');
  out.textContent = '';
  delete out.dataset.done;
  try {
    const greedy = $<HTMLInputElement>('greedy').checked;
    const prompt = promptFrom(
      interleaveImages($<HTMLTextAreaElement>('text').value, picture ? [picture] : []),
      $<HTMLInputElement>('chat-template').checked,
      'page',
    );
    const opts = { maxNewTokens: num('max-tokens'), temperature: greedy ? 0 : num('temperature'), topP: greedy ? 1 : num('top-p'), seed: num('seed') };
    const t0 = performance.now();
    const gen = await generateOnce(model, prompt, opts, (piece) => out.append(piece));
    const seconds = (performance.now() - t0) / 1000;
    out.textContent = gen.text;
    Object.assign(out.dataset, { done: '1', tokens: String(gen.completionTokens) });
    // A prompt length the model has not seen yet builds its prefill graph first (16-token buckets, as in Node).
    $('stats').textContent =
      `${gen.finishReason}: ${gen.promptTokens} prompt + ${gen.completionTokens} completion tokens in ${seconds.toFixed(2)} s (${(gen.completionTokens / seconds).toFixed(1)} tokens/s${runs++ === 0 ? ', building the graphs included' : ''})`;
  } catch (e) {
    out.textContent = `error: ${(e as Error).message}`;
    out.dataset.done = 'error';
  } finally {
    button.disabled = false;
  }
}

function wireChat(): void {
  $<HTMLInputElement>('file').addEventListener('change', (e) => {
    const f = (e.target as HTMLInputElement).files?.[0];
    if (f) void setPicture(f);
  });
  const drop = $('drop');
  drop.addEventListener('dragover', (e) => (e.preventDefault(), drop.classList.add('over')));
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    const f = e.dataTransfer?.files[0];
    if (f) void setPicture(f);
  });
  $('send').addEventListener('click', () => void send());
  $('text').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      void send();
    }
  });
}

/** Swap the model the chat talks to (the training panel hands over the model it trained). */
async function useModel(next: Mm1Model): Promise<void> {
  const old = model;
  [model, runs] = [next, 0];
  await old?.release();
}

/** The page's console API (also what test/web drives): `await mm1.train(mm1.config(40, 2, 0), 2)`. */
function consoleApi(backend: { providers: ExecutionProvider[]; wasmPaths: string }) {
  return {
    config: tabTrainingConfig,
    train: async (config: ReturnType<typeof tabTrainingConfig>, stopAfter?: number) => {
      const stepMs: number[] = [];
      let last = performance.now();
      const r = await trainInWorker(backend, config, () => void stepMs.push(-last + (last = performance.now())), stopAfter).result;
      return { clipLosses: r.clipLosses, losses: r.losses, stepMs };
    },
  };
}

async function start(): Promise<void> {
  wireChat();
  const wasmPaths = new URL('ort/', location.href).href;
  const { backend, providers } = await chooseBackend(location.search, wasmPaths);
  Object.assign(globalThis, { mm1: consoleApi({ providers, wasmPaths }) });
  $('backend').textContent = `backend: ${backend === 'webgpu' ? 'WebGPU (nodes without a WebGPU kernel on WASM)' : 'WASM'}`;
  document.body.dataset.backend = backend;
  setupTraining({ status, useModel, providers, wasmPaths });
  status('loading model…');
  const [dir, card] = await Promise.all([fetchModelDir('model/'), fetch('card.json').then((r) => r.json() as Promise<ModelCard>)]);
  showCard(card);
  model = modelFromParts(dir, card.name);
  $<HTMLButtonElement>('send').disabled = false;
  status('ready');
  document.body.dataset.ready = '1';
}

start().catch((e: Error) => {
  status(`failed: ${e.message}`);
  document.body.dataset.ready = 'error';
  throw e;
});
