// The checks every ONNX Runtime binding makes before a run (Node's engine/session.ts and the
// browser's web/browser_session.ts): each declared input is fed, with its dtype and shape.
import type { Tensor } from './graph.js';
import { assertShape, type HostTensor } from './host_tensor.js';

/** The host tensor for each input, in declaration order; throws naming the first missing or mismatched one. */
export function checkedFeeds(inputs: Tensor[], feeds: Record<string, HostTensor>): HostTensor[] {
  return inputs.map((t) => {
    const h = feeds[t.name];
    if (!h) throw new Error(`run: missing input ${t.describe()}`);
    if (h.dtype !== t.dtype) throw new Error(`run: input '${t.name}' must be ${t.dtype}, got ${h.dtype}`);
    assertShape(t.name, t.shape, h.shape);
    return h;
  });
}
