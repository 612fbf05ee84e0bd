// What a loaded, trained mm1 model offers to evaluation, serving and library users.
// `loadModel(dir)` (model/infer/load.ts) returns one; eval tasks and the HTTP server depend
// only on this interface, never on graphs.
import type { Conversation, Segment } from '../../data/document.js';

/** A prompt: either raw interleaved segments (pretraining style, few-shot) or a chat. */
export type Prompt = { segments: Segment[] } | { conversation: Conversation };

export interface GenerateOptions {
  maxNewTokens: number;
  /** 0 = greedy. */
  temperature?: number;
  topP?: number;
  /** Generation stops when the text ends with one of these (the stop string is not returned). */
  stop?: string[];
  seed?: number;
  /** Called with each new piece of text as it is decoded (streaming). Stop strings, and text that may
   *  start one, are held back until settled: the pieces join to exactly `text` of the result. */
  onText?: (piece: string) => void;
}

export interface Generation {
  text: string;
  finishReason: 'stop' | 'length';
  promptTokens: number;
  completionTokens: number;
}

export interface LikelihoodRequest {
  context: Prompt;
  /** Text whose log-probability given the context is wanted (e.g. " red"). */
  continuation: string;
}

export interface Likelihood {
  /** Sum of log-probabilities of the continuation's tokens. */
  logProb: number;
  tokens: number;
  /** Whether greedy decoding would have produced exactly this continuation. */
  isGreedy: boolean;
}

export interface ModelInfo {
  name: string;
  /** Encoder input resolution (pixels, square). */
  imageSize: number;
  /** Most images one prompt may hold (what fits in the context). */
  maxImages: number;
  /** Most images per sequence the model saw in training, when its directory records it; the server's default cap. */
  trainedImages?: number;
  /** Longest prompt + completion in tokens. */
  contextLength: number;
  params: number;
  /** Side (pixels) the synthetic world's pictures were rendered at in training, when the model
   *  says so; world evaluation renders at the same side so it shows the pixels training did. */
  renderSize?: number;
  /** Set when only the last N pictures of a prompt get a sub-image model's full set (LoadModelOptions.highResLast), so reports say so. */
  highResLast?: number;
}

export interface Mm1Model {
  info: ModelInfo;
  /** Several prompts at once (batched where shapes allow); results in order. */
  generate(prompts: Prompt[], opts: GenerateOptions): Promise<Generation[]>;
  logLikelihood(requests: LikelihoodRequest[]): Promise<Likelihood[]>;
  /** Token count of a prompt (for limits and usage reporting). */
  countTokens(prompt: Prompt): number;
  release(): Promise<void>;
}
