// The no-image baseline MM1-style reports compare against: the same model, every image
// replaced by a blank one (uniform CLIP-mean grey, which normalises to zeros). What the
// model still gets right then comes from language priors, not from looking.
import type { RgbImage, Segment } from '../data/document.js';
import { CLIP_MEAN_RGB } from '../data/image.js';
import type { Mm1Model, Prompt } from '../model/infer/api.js';

function blank(image: RgbImage): RgbImage {
  const data = new Uint8Array(image.width * image.height * 3);
  for (let i = 0; i < data.length; i += 3) data.set(CLIP_MEAN_RGB, i);
  return { width: image.width, height: image.height, data };
}

const blankSegments = (segs: Segment[]): Segment[] => segs.map((s) => (s.kind === 'image' ? { kind: 'image', image: blank(s.image) } : s));

export function blankPrompt(p: Prompt): Prompt {
  if ('segments' in p) return { segments: blankSegments(p.segments) };
  return { conversation: { ...p.conversation, turns: p.conversation.turns.map((t) => ({ ...t, segments: blankSegments(t.segments) })) } };
}

/** `model` with every image of every prompt blanked. */
export function withBlankImages(model: Mm1Model): Mm1Model {
  return {
    info: { ...model.info, name: `${model.info.name} (images blanked)` },
    generate: (prompts, opts) => model.generate(prompts.map(blankPrompt), opts),
    logLikelihood: (reqs) => model.logLikelihood(reqs.map((r) => ({ ...r, context: blankPrompt(r.context) }))),
    countTokens: (p) => model.countTokens(p),
    release: () => model.release(),
  };
}
