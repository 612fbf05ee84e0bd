// Every op builder, in one namespace: `import * as op from '../engine/ops/index.js'`.
export * from './elementwise.js';
export * from './reduce.js';
export * from './shape.js';
export * from './matmul.js';
export * from './gather.js';
export * from './normalize.js';
export * from './conv.js';
export * from './loss.js';
export { constant, int64s, broadcastShapes } from './util.js';
