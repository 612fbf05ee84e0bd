// Small deterministic Mm1Model implementations for testing the harness without a network:
// an oracle that recognises world pictures by their bytes and answers from the scene graph,
// a blind model that always says "red", and a recorder of what the harness sent.
import { createHash } from 'node:crypto';
import type { RgbImage, Segment } from '../../src/data/document.js';
import { tokenizeDocument } from '../../src/data/doc_tokens.js';
import { wordTokenizer } from '../../src/data/word_tokenizer.js';
import { captionsFor, worldVocabulary } from '../../src/data/world/index.js';
import type { Scene } from '../../src/data/world/scene.js';
import { Rng } from '../../src/engine/rng.js';
import type { GenerateOptions, Generation, Likelihood, LikelihoodRequest, Mm1Model, ModelInfo, Prompt } from '../../src/model/infer/api.js';
import { canonical, solve } from '../data/world_solver.js';

export const tokenizer = wordTokenizer(worldVocabulary());
export const TOKENS_PER_IMAGE = 4;

const imageKey = (image: RgbImage): string => createHash('sha1').update(image.data).digest('hex');
const segmentsOf = (p: Prompt): Segment[] => ('segments' in p ? p.segments : p.conversation.turns.flatMap((t) => t.segments));

/** Prompt length as a word-tokenised pretraining document without its <eos>. */
export function countWorldTokens(prompt: Prompt): number {
  const doc = tokenizeDocument({ source: 'interleaved', id: 'prompt', segments: segmentsOf(prompt) }, tokenizer, {
    tokensPerImage: TOKENS_PER_IMAGE,
    markers: true,
  });
  return doc.ids.length - 1;
}

/** What a model's decoding loop does with stop strings: cut at the first one, drop it. */
export function applyStop(text: string, opts: GenerateOptions): Generation {
  let cut = text.length;
  for (const s of opts.stop ?? []) {
    const at = text.indexOf(s);
    if (at >= 0) cut = Math.min(cut, at);
  }
  return { text: text.slice(0, cut), finishReason: cut < text.length ? 'stop' : 'length', promptTokens: 0, completionTokens: 0 };
}

export interface FakeModel extends Mm1Model {
  /** Every prompt passed to generate, in order. */
  generated: Prompt[];
  likelihoodRequests: LikelihoodRequest[];
}

export function fakeModel(
  answer: (segments: Segment[]) => string,
  likelihood: (r: LikelihoodRequest) => Likelihood = () => {
    throw new Error('this fake model has no likelihoods');
  },
  info: Partial<ModelInfo> = {},
): FakeModel {
  const model: FakeModel = {
    info: { name: 'fake', imageSize: 128, maxImages: 16, contextLength: 4096, params: 0, ...info },
    generated: [],
    likelihoodRequests: [],
    async generate(prompts, opts) {
      assert(opts.temperature === 0, 'the harness decodes greedily');
      model.generated.push(...prompts);
      return prompts.map((p) => applyStop(answer(segmentsOf(p)), opts));
    },
    async logLikelihood(requests) {
      model.likelihoodRequests.push(...requests);
      return requests.map(likelihood);
    },
    countTokens: countWorldTokens,
    async release() {},
  };
  return model;
}

function assert(ok: boolean, message: string): void {
  if (!ok) throw new Error(message);
}

/** Answers world questions by solving the scene behind the query picture (the last image),
 *  and captions it with the world's own caption templates. It keeps talking past the answer,
 *  as models do, so the stop strings and post-processing matter. */
export function oracleModel(items: readonly { image: RgbImage; scene?: Scene }[], info: Partial<ModelInfo> = {}): FakeModel {
  const scenes = new Map(items.map((it) => [imageKey(it.image), it.scene!]));
  return fakeModel(
    (segments) => {
      const images = segments.filter((s): s is Extract<Segment, { kind: 'image' }> => s.kind === 'image');
      const last = segments[segments.length - 1];
      if (last.kind !== 'text' || images.length === 0) throw new Error('oracle: the prompt must end with text after an image');
      const scene = scenes.get(imageKey(images[images.length - 1].image));
      if (!scene) throw new Error('oracle: the query picture is not one it knows');
      if (last.text.endsWith('caption:')) return ` ${captionsFor(scene, new Rng(7))[0]} caption: more`;
      const q = last.text.match(/question: (.*) answer:$/);
      if (!q) throw new Error(`oracle: cannot read the query "${last.text}"`);
      return ` ${canonical(solve(scene, q[1]))}. question: what else?`;
    },
    undefined,
    info,
  );
}

/** Always "red", whatever it sees. */
export function blindModel(info: Partial<ModelInfo> = {}): FakeModel {
  return fakeModel(
    () => ' red. question: red?',
    (r) => ({ logProb: -r.continuation.length, tokens: 1, isGreedy: false }),
    info,
  );
}
