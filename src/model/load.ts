// Placeholder until the model loader lands (the coordinator replaces this file at merge):
// `mm1 eval` and library users import loadModel from here.
import type { Mm1Model } from './api.js';

export async function loadModel(dir: string): Promise<Mm1Model> {
  throw new Error(`cannot load the model in ${dir}: model loading is not available in this build`);
}
