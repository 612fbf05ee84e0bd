// The synthetic world as a training data pipeline: one DataSource per mixture component,
// a word-level tokenizer over the world's closed vocabulary, and the packed BatchStream (data/batches.ts).
import type { DataSource } from '../data/batches.js';
import type { SourceKind } from '../data/document.js';
import { pretrainWeights } from '../data/mixture.js';
import type { Mm1Tokenizer } from '../data/tokenizer.js';
import { wordTokenizer } from '../data/word_tokenizer.js';
import { worldSource, worldVocabulary, type WorldVersion } from '../data/world/index.js';
import type { DataConfig } from './config.js';

export function worldTokenizer(version: WorldVersion = 1): Mm1Tokenizer {
  return wordTokenizer(worldVocabulary(version));
}

/** One source per non-zero mixture weight; document i of a source is a pure function of (seed, kind, i). */
export function worldSources(data: DataConfig): DataSource[] {
  const weights = pretrainWeights(data.mixture);
  const kinds = Object.keys(weights) as SourceKind[];
  if (kinds.length === 0) throw new Error('data.mixture: every weight is zero; give at least one of interleaved, caption, text a positive weight');
  return kinds.map((kind) => ({
    name: kind,
    weight: weights[kind]!,
    open: (start: number) => worldSource(kind, data.seed, { start, imageSize: data.renderSize, version: data.version }),
  }));
}
