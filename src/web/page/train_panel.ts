// The page's training panel: runs web/tab_training.ts (the quick start's two stages) with a
// live loss curve, then captions a few held-out world pictures with the trained model and
// offers its model directory (config.json, model.safetensors, tokenizer.json) for download —
// put the three files in one folder and `mm1 generate --model <folder>` loads it.
import type { RgbImage } from '../../data/document.js';
import { generateScene, renderScene } from '../../data/world/index.js';
import { encodeSafetensors } from '../../engine/safetensors.js';
import { Rng } from '../../engine/rng.js';
import type { Mm1Model } from '../../model/infer/api.js';
import { modelFromParts } from '../../model/infer/load.js';
import type { HostTensor } from '../../engine/host_tensor.js';
import type { PretrainConfig } from '../../train/config.js';
import type { ExecutionProvider } from '../browser_session.js';
import { tabModel, tabTrainingConfig, type TabTrainingResult } from '../tab_training.js';
import { imageUrl } from './pixels.js';
import type { FromWorker, ToWorker } from './train_worker.js';

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

interface PanelHooks {
  status: (text: string) => void;
  useModel: (m: Mm1Model) => Promise<void>;
  providers: ExecutionProvider[];
  wasmPaths: string;
}

export interface TrainingRun {
  result: Promise<TabTrainingResult>;
  stop: () => void;
}

/** Train in the page's worker (train_worker.ts); `onStep` gets each step's loss as it comes. */
export function trainInWorker(
  hooks: Pick<PanelHooks, 'providers' | 'wasmPaths'>,
  config: PretrainConfig,
  onStep: (stage: 'clip' | 'pretrain', step: number, loss: number) => void,
  stopAfter?: number,
): TrainingRun {
  const worker = new Worker(new URL('train_worker.js', location.href), { type: 'module' });
  const send = (m: ToWorker) => worker.postMessage(m);
  const result = new Promise<TabTrainingResult>((resolve, reject) => {
    worker.onerror = (e) => (worker.terminate(), reject(new Error(`training worker: ${e.message}`)));
    worker.onmessage = (e: MessageEvent<FromWorker>) => {
      const m = e.data;
      if (m.kind === 'step') return onStep(m.stage, m.step, m.loss);
      worker.terminate();
      if (m.kind === 'error') return reject(new Error(m.message));
      const weights = new Map(m.weights.map((w): [string, HostTensor] => [w.name, { dtype: w.dtype, shape: w.shape, data: w.data as HostTensor['data'] }]));
      resolve({ ...tabModel(config), weights, clipLosses: m.clipLosses, losses: m.losses, steps: m.steps });
    };
  });
  send({ kind: 'start', config, stopAfter, providers: hooks.providers, wasmPaths: hooks.wasmPaths });
  return { result, stop: () => send({ kind: 'stop' }) };
}

/** Loss per step as a polyline per stage in the panel's SVG, y spanning the losses seen. */
function drawCurve(points: { stage: string; loss: number }[]): void {
  const losses = points.map((p) => p.loss);
  const [lo, hi] = [Math.min(...losses), Math.max(...losses)];
  const y = (loss: number) => (136 - ((loss - lo) / Math.max(hi - lo, 1e-9)) * 112).toFixed(1);
  const line = (stage: string, colour: string) => {
    const d = points.flatMap((p, i) => (p.stage === stage ? [`${((i / Math.max(1, points.length - 1)) * 600).toFixed(1)},${y(p.loss)}`] : [])).join(' ');
    return `<polyline fill="none" stroke="${colour}" stroke-width="1.5" points="${d}"/>`;
  };
  $('loss-curve').innerHTML =
    `${line('clip', '#c2812b')}${line('pretrain', '#3559c7')}<text x="4" y="12" font-size="11" fill="#55617a">loss ${lo.toFixed(2)}–${hi.toFixed(2)}: CLIP stage orange, pretraining blue</text>`;
}

function modelFiles(r: TabTrainingResult, config: unknown): Record<string, Blob> {
  return {
    'config.json': new Blob([JSON.stringify({ format: 'mm1-model', model: r.model, trainedSteps: r.steps, run: config }, null, 2) + '\n'], {
      type: 'application/json',
    }),
    'model.safetensors': new Blob(encodeSafetensors(r.weights, { format: 'pt', producer: 'mm1 web', recipe: r.model.name }) as BlobPart[]),
    'tokenizer.json': new Blob([JSON.stringify(r.tokenizer.json, null, 2) + '\n'], { type: 'application/json' }),
  };
}

/** Greedy captions of three held-out world pictures, shown beside them. */
async function sampleCaptions(model: Mm1Model, renderSize: number, version: 1 | 2): Promise<void> {
  const rng = new Rng(2024);
  const pictures: RgbImage[] = Array.from({ length: 3 }, () => renderScene(generateScene(rng, { split: 'heldout', version }), renderSize));
  const box = $('captions');
  box.replaceChildren();
  for (const image of pictures) {
    const [gen] = await model.generate([{ segments: [{ kind: 'image', image }] }], { maxNewTokens: 16, temperature: 0 });
    const row = box.appendChild(document.createElement('div'));
    const img = row.appendChild(document.createElement('img'));
    [img.src, img.width, img.height] = [imageUrl(image), 48, 48];
    row.append(gen.text || '(no text: the model ended at once)');
  }
}

export function setupTraining(hooks: PanelHooks): void {
  const start = $<HTMLButtonElement>('train-start');
  const stop = $<HTMLButtonElement>('train-stop');
  let run: TrainingRun | null = null;
  start.disabled = false;
  stop.addEventListener('click', () => run?.stop());
  start.addEventListener(
    'click',
    () =>
      void (async () => {
        [start.disabled, stop.disabled] = [true, false];
        const config = tabTrainingConfig(
          Number($<HTMLInputElement>('train-steps').value),
          Number($<HTMLInputElement>('clip-steps').value),
          Number($<HTMLInputElement>('train-seed').value),
        );
        const points: { stage: string; loss: number }[] = [];
        const t0 = performance.now();
        try {
          run = trainInWorker(hooks, config, (stage, step, loss) => {
            points.push({ stage, loss });
            const total = stage === 'clip' ? config.encoder.clipSteps : config.train.steps;
            $('train-status').textContent = `${stage} step ${step}/${total}: loss ${loss.toFixed(4)} (${((performance.now() - t0) / 1000).toFixed(0)} s)`;
            drawCurve(points);
          });
          const r = await run.result;
          const files = modelFiles(r, config);
          const download = $<HTMLButtonElement>('train-download');
          download.hidden = false;
          download.onclick = () => {
            for (const [name, blob] of Object.entries(files)) {
              const a = document.createElement('a');
              [a.href, a.download] = [URL.createObjectURL(blob), name];
              a.click();
            }
          };
          const trained = modelFromParts(
            { config: r.model, weights: r.weights, tokenizer: r.tokenizer, extra: { trainedSteps: r.steps, run: config } },
            `trained in this tab (${r.steps} steps)`,
          );
          $('train-status').textContent += ' — captioning held-out pictures…';
          await sampleCaptions(trained, config.data.renderSize, config.data.version);
          $('train-status').textContent =
            `done: ${r.clipLosses.length} CLIP + ${r.steps} pretraining steps in ${((performance.now() - t0) / 1000).toFixed(0)} s`;
          const use = $<HTMLButtonElement>('train-use');
          use.hidden = false;
          use.onclick = () => void hooks.useModel(trained).then(() => hooks.status(`chatting with the model trained in this tab`));
          document.body.dataset.trained = '1';
        } catch (e) {
          $('train-status').textContent = `training failed: ${(e as Error).message}`;
          throw e;
        } finally {
          [start.disabled, stop.disabled] = [false, true];
        }
      })(),
  );
}
