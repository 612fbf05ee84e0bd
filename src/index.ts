// Library entry point: `import { loadModel } from 'mm1'`.
export { loadModel } from './model/infer/load.js';
export type { Prompt, GenerateOptions, Generation, LikelihoodRequest, Likelihood, ModelInfo, Mm1Model } from './model/infer/api.js';
export type { Conversation, Segment, RgbImage } from './data/document.js';
export { readImageFile, decodeImage } from './data/image.js';
export { startServer, type ServerOptions, type RunningServer } from './serve/server.js';
export { startWorkerBackend } from './serve/worker_backend.js';
export { inThreadBackend, type ModelBackend } from './serve/backend.js';
