// The adapter of each task kind.
import type { TaskKind } from '../items.js';
import type { KindAdapter } from './adapter.js';
import { captionAdapter } from './caption.js';
import { clozeAdapter } from './cloze.js';
import { multipleChoiceAdapter } from './multiple_choice.js';
import { openQaAdapter } from './open_qa.js';
import { sftBenchAdapter } from './sft_bench.js';
import { gqaAdapter, vqaAdapter } from './vqa.js';

export const ADAPTERS: { [K in TaskKind]: KindAdapter<K> } = {
  caption: captionAdapter,
  vqa: vqaAdapter,
  gqa: gqaAdapter,
  'multiple-choice': multipleChoiceAdapter,
  cloze: clozeAdapter,
  'open-qa': openQaAdapter,
  'sft-bench': sftBenchAdapter,
};

export type { KindAdapter, Row, Scored } from './adapter.js';
