// The synthetic world as a training data pipeline: one DataSource per mixture component,
// a word-level tokenizer over the world's closed vocabulary, and the packed BatchStream.
import { BatchStream, type DataSource } from '../data/batches.js';
import type { DataCursor } from '../data/batches.js';
import type { SourceKind } from '../data/document.js';
import { pretrainWeights } from '../data/mixture.js';
import { clipImageSlots } from '../data/subimage.js';
import type { Mm1Tokenizer } from '../data/tokenizer.js';
import { wordTokenizer } from '../data/word_tokenizer.js';
import { worldSource, worldVocabulary } from '../data/world/index.js';
import type { ModelConfig } from '../model/config.js';
import type { DataConfig, TrainConfig } from './config.js';

export function worldTokenizer(): Mm1Tokenizer {
  return wordTokenizer(worldVocabulary());
}

/** One source per non-zero mixture weight; document i of a source is a pure function of (seed, kind, i). */
export function worldSources(data: DataConfig): DataSource[] {
  const weights = pretrainWeights(data.mixture);
  const kinds = Object.keys(weights) as SourceKind[];
  if (kinds.length === 0) throw new Error('data.mixture: every weight is zero; give at least one of interleaved, caption, text a positive weight');
  return kinds.map((kind) => ({
    name: kind,
    weight: weights[kind]!,
    open: (start: number) => worldSource(kind, data.seed, { start, imageSize: data.renderSize }),
  }));
}

/** The packed batch stream for a model and schedule, resuming from `cursor` when given. */
export function worldBatchStream(tok: Mm1Tokenizer, model: ModelConfig, data: DataConfig, train: TrainConfig, cursor?: DataCursor): BatchStream {
  return new BatchStream(
    tok,
    worldSources(data),
    {
      B: train.batchSize,
      T: train.seqLen,
      N: train.maxImages,
      tokensPerCrop: model.connector.tokens,
      images: clipImageSlots({ resolution: model.vision.imageSize, grid: model.subImageGrid }),
      seed: data.seed,
    },
    cursor,
  );
}
