// Placeholder until the model loader lands (the coordinator replaces this file at merge):
// the serving code and the library entry point are written against this signature.
import type { Mm1Model } from './api.js';

export async function loadModel(dir: string): Promise<Mm1Model> {
  throw new Error(`model loading is not available in this build (asked to load ${dir})`);
}
