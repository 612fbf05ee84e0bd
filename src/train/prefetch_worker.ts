// The prefetch worker (prefetch.ts): draws a run's world batches, one per request, and posts
// each as checked feeds with the data cursor after it, moving the arrays rather than copying them.
import { parentPort, workerData } from 'node:worker_threads';
import { BatchStream } from '../data/batches.js';
import { clipImageSlots } from '../data/subimage.js';
import { checkedFeeds } from './packed_feeds.js';
import { feedBuffers, type FromPrefetchWorker, type PrefetchWorkerData } from './prefetch.js';
import { worldSources, worldTokenizer } from './world_data.js';

const { spec, cursor } = workerData as PrefetchWorkerData;
const tokenizer = worldTokenizer(spec.data.version);
const stream = new BatchStream(tokenizer, worldSources(spec.data), { ...spec.packing, images: clipImageSlots(spec.preprocess) }, cursor ?? undefined);
const port = parentPort!;

port.on('message', () => {
  stream
    .next()
    .then((packed) => {
      const batch = checkedFeeds(packed, tokenizer, spec.model);
      port.postMessage({ type: 'batch', batch, cursor: stream.cursor() } satisfies FromPrefetchWorker, feedBuffers(batch.feeds));
    })
    .catch((e: Error) => port.postMessage({ type: 'error', message: e.message, stack: e.stack } satisfies FromPrefetchWorker));
});
