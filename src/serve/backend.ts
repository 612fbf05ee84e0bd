// What the server needs from a model, with token counting made async so that the model
// can live in another thread (see worker_backend.ts): ONNX Runtime's session.run is
// synchronous and would otherwise freeze the HTTP event loop for a whole forward pass.
import type { GenerateOptions, Generation, Mm1Model, ModelInfo, Prompt } from '../model/infer/api.js';

export interface ModelBackend {
  readonly info: ModelInfo;
  countTokens(prompt: Prompt): Promise<number>;
  generate(prompts: Prompt[], opts: GenerateOptions): Promise<Generation[]>;
  /** Why the backend can no longer serve (e.g. its worker died), or null while healthy. */
  readonly failure: string | null;
  release(): Promise<void>;
}

/** Run the model on the calling thread: for CLI use and for models that never block. */
export function inThreadBackend(model: Mm1Model): ModelBackend {
  return {
    info: model.info,
    countTokens: async (prompt) => model.countTokens(prompt),
    generate: (prompts, opts) => model.generate(prompts, opts),
    failure: null,
    release: () => model.release(),
  };
}
