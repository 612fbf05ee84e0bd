// The checks of a pretraining data config that zod's shape cannot express: which mixture
// components need files, and which world-only settings mean nothing for files. Run when the
// config is read, so a mistake fails before any shard is opened or graph built.
import type { SourceKind } from '../data/document.js';
import { pretrainWeights } from '../data/mixture.js';
import type { PretrainConfig } from './config.js';

const EXAMPLE: Record<'caption' | 'interleaved' | 'text', string> = {
  caption: '{"format": "webdataset", "path": "shards/*.tar"}',
  interleaved: '{"format": "obelics-parquet", "path": "obelics/*.parquet"}',
  text: '{"format": "text-jsonl", "path": "text/*.jsonl"}',
};

export function checkDataFiles(config: Pick<PretrainConfig, 'data' | 'encoder' | 'train'>, source: string): void {
  const d = config.data;
  const fail = (message: string) => {
    throw new Error(`${source}: ${message} See docs/data.md ("Train on your own data").`);
  };
  if (d.source === 'world') {
    if (d.files) fail('data.files names files but data.source is "world". Fix: set data.source to "files" to train on them.');
    return;
  }
  const weights = pretrainWeights(d.mixture);
  if (weights['synthetic-caption']) {
    fail(
      `data.mixture.syntheticCaptionShare is ${d.mixture.syntheticCaptionShare}, but synthetic captions exist only in the world. Fix: set it to 0 with data.source "files".`,
    );
  }
  for (const kind of ['interleaved', 'caption', 'text'] as const satisfies SourceKind[]) {
    if (weights[kind] && !d.files?.[kind]) {
      fail(
        `data.mixture.${kind} is ${weights[kind]} but data.files.${kind} names no files. ` +
          `Fix: add data.files.${kind} = ${EXAMPLE[kind]} (or the flag --${kind === 'caption' ? 'webdataset' : kind === 'text' ? 'text-jsonl' : 'obelics-parquet'}), ` +
          `or set its weight to 0 (e.g. --mixture 0:100:0 for captions only).`,
      );
    }
  }
  // The CLIP stage on files reads the caption shards (train/file_clip_data.ts), whatever their mixture weight.
  if (config.encoder.clipSteps > 0 && !d.files?.caption) {
    fail(
      `encoder.clipSteps is ${config.encoder.clipSteps}: the CLIP stage on files trains on image–caption pairs from data.files.caption, which names no shards. Fix: add data.files.caption = ${EXAMPLE.caption} (or --webdataset), or set encoder.clipSteps to 0.`,
    );
  }
  if (config.encoder.clipSteps > 0 && config.encoder.clipTextShare > 0) {
    fail(
      `encoder.clipTextShare is ${config.encoder.clipTextShare}, but its text-bearing scenes exist only in the world; the CLIP stage on files reads your captions as they are. Fix: set it to 0.`,
    );
  }
  if (config.encoder.clipSteps > 0 && config.encoder.clipHardNegatives !== undefined) {
    fail(
      `encoder.clipHardNegatives is ${config.encoder.clipHardNegatives}, but its scenes redrawn with other words exist only in the world; the CLIP stage on files reads your captions as they are. Fix: leave it out.`,
    );
  }
  if (config.encoder.clipSteps > 0 && config.encoder.clipTextCaptions !== undefined) {
    fail(
      `encoder.clipTextCaptions is '${config.encoder.clipTextCaptions}', but it recaptions the world's text-bearing scenes; the CLIP stage on files reads your captions as they are. Fix: leave it out.`,
    );
  }
  if (config.encoder.clipSteps > 0 && config.encoder.clipWordSteps !== undefined) {
    fail(
      `encoder.clipWordSteps is ${config.encoder.clipWordSteps}, but its first part draws the world's text-bearing scenes; the CLIP stage on files reads your captions as they are. Fix: leave it out.`,
    );
  }
  if (config.train.maxImages === 0 && (weights.caption || weights.interleaved)) {
    fail('train.maxImages is 0 but caption and interleaved documents hold images. Fix: give --max-images 1 or more.');
  }
}
