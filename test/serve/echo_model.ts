// A small deterministic Mm1Model for testing the serving code (the server is under test,
// not the model). It replies with what it was shown — the number of images, each image's
// mean colour and the last text — one word per decode step, with a delay per step, and
// honours maxNewTokens, stop strings and onText like a real model.
import type { GenerateOptions, Generation, Likelihood, Mm1Model, ModelInfo, Prompt } from '../../src/model/infer/api.js';
import type { RgbImage, Segment } from '../../src/data/document.js';
import { StopHoldback } from '../../src/model/infer/stop_holdback.js';

export interface EchoOptions {
  /** Milliseconds per decode step. */
  stepMs?: number;
  contextLength?: number;
  maxImages?: number;
  /** Images per sequence in training (ModelInfo.trainedImages); default unrecorded. */
  trainedImages?: number;
  /** Tokens an image costs in countTokens. */
  imageTokens?: number;
  /** Awaited after the first piece is streamed: lets a test see a partial reply before the rest exists. */
  afterFirstPiece?: () => Promise<void>;
}

export function meanColour(img: RgbImage): [number, number, number] {
  const sum = [0, 0, 0];
  for (let i = 0; i < img.data.length; i++) sum[i % 3] += img.data[i];
  const n = img.width * img.height;
  return [Math.round(sum[0] / n), Math.round(sum[1] / n), Math.round(sum[2] / n)];
}

function segmentsOf(prompt: Prompt): Segment[] {
  return 'segments' in prompt ? prompt.segments : prompt.conversation.turns.flatMap((t) => t.segments);
}

/** The reply the echo model gives (before maxNewTokens and stop strings). */
export function echoReply(prompt: Prompt): string {
  const segs = segmentsOf(prompt);
  const images = segs.filter((s) => s.kind === 'image').map((s) => meanColour(s.image));
  const lastText =
    segs
      .filter((s) => s.kind === 'text')
      .at(-1)
      ?.text.trim() ?? '';
  const flood = /^flood (\d+)$/.exec(lastText);
  // "flood N": N pieces of 16 KiB, to produce a stream larger than socket buffers.
  if (flood) return Array.from({ length: Number(flood[1]) }, (_, i) => `${String(i).padStart(5, '0')}${'x'.repeat(16 * 1024 - 5)}`).join(' ');
  const seen = images.map(([r, g, b]) => `rgb(${r},${g},${b})`).join(' ');
  return `I see ${images.length} image${images.length === 1 ? '' : 's'} ${seen} and you said: ${lastText}`.replace(/\s+/g, ' ');
}

const sleep = (ms: number) => new Promise((r) => (ms > 0 ? setTimeout(r, ms) : setImmediate(r)));

export class EchoModel implements Mm1Model {
  readonly info: ModelInfo;
  /** Every generate call: how many prompts and the options (batching is visible here). */
  readonly calls: { prompts: number; opts: Omit<GenerateOptions, 'onText'> }[] = [];
  finished = 0;
  private readonly stepMs: number;
  private readonly imageTokens: number;
  private readonly afterFirstPiece: (() => Promise<void>) | undefined;

  constructor(opts: EchoOptions = {}) {
    this.stepMs = opts.stepMs ?? 2;
    this.afterFirstPiece = opts.afterFirstPiece;
    this.imageTokens = opts.imageTokens ?? 16;
    this.info = {
      name: 'mm1-echo',
      imageSize: 32,
      maxImages: opts.maxImages ?? 4,
      ...(opts.trainedImages !== undefined ? { trainedImages: opts.trainedImages } : {}),
      contextLength: opts.contextLength ?? 256,
      params: 0,
    };
  }

  countTokens(prompt: Prompt): number {
    let n = 1;
    for (const s of segmentsOf(prompt)) n += s.kind === 'image' ? this.imageTokens : s.text.split(/\s+/).filter(Boolean).length;
    if ('conversation' in prompt) n += 2 * prompt.conversation.turns.length + 1;
    return n;
  }

  async generate(prompts: Prompt[], opts: GenerateOptions): Promise<Generation[]> {
    const { onText, ...rest } = opts;
    this.calls.push({ prompts: prompts.length, opts: rest });
    const words = prompts.map((p) =>
      echoReply(p)
        .split(' ')
        .map((w, i) => (i === 0 ? w : ` ${w}`)),
    );
    const texts = prompts.map(() => '');
    const done = prompts.map(() => false);
    const reasons: Generation['finishReason'][] = prompts.map(() => 'length');
    const counts = prompts.map(() => 0);
    // As loadModel's models: streamed pieces never show a stop string (onText takes one prompt).
    const holdback = new StopHoldback(opts.stop);
    const stream = (piece: string) => {
      const safe = holdback.push(piece);
      if (safe) onText?.(safe);
    };
    // All rows advance together, one word per step, like a batched decoder.
    for (let step = 0; step < opts.maxNewTokens && done.includes(false); step++) {
      await sleep(this.stepMs);
      if (step === 1 && this.afterFirstPiece) await this.afterFirstPiece();
      prompts.forEach((_, row) => {
        if (done[row]) return;
        if (step >= words[row].length) return void ((done[row] = true), (reasons[row] = 'stop')); // <|end|>
        const piece = words[row][step];
        counts[row]++;
        texts[row] += piece;
        stream(piece);
        const stop = opts.stop?.find((s) => texts[row].includes(s));
        if (stop !== undefined) {
          texts[row] = texts[row].slice(0, texts[row].indexOf(stop));
          done[row] = true;
          reasons[row] = 'stop';
        }
      });
    }
    // A reply that ends exactly at maxNewTokens still emitted no <|end|>: 'length', as a real decoder.
    const tail = holdback.finish(texts[0] ?? '');
    if (tail) onText?.(tail);
    this.finished++;
    return prompts.map((p, row) => ({ text: texts[row], finishReason: reasons[row], promptTokens: this.countTokens(p), completionTokens: counts[row] }));
  }

  async logLikelihood(): Promise<Likelihood[]> {
    throw new Error('EchoModel has no likelihoods');
  }

  async release(): Promise<void> {}
}
