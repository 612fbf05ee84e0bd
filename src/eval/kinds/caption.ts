// Captioning (COCO, NoCaps, TextCaps): generate, then the pycocoevalcap scores over the whole
// set — CIDEr-D (the headline), BLEU-1..4 and ROUGE-L — times 100 as papers print them.
import { scoreCaptions } from '../metrics/caption_scores.js';
import type { KindAdapter } from './adapter.js';
import { percent } from './adapter.js';

export const captionAdapter: KindAdapter<'caption'> = {
  generates: true,
  image: (item) => item.image,
  // The template adds its own final period; references may or may not end with one.
  vars: (item) => ({ caption: item.references[0].trim().replace(/\s*\.$/, '') }),
  sameQuery: (c, q) => c.id === q.id,
  queryText: () => undefined,
  references: (item) => item.references,
  score(_task, rows) {
    const s = scoreCaptions(rows.map((r) => ({ candidate: r.prediction ?? '', references: r.item.references })));
    const metrics = {
      CIDEr: percent(s.CIDEr),
      BLEU_1: percent(s.BLEU_1),
      BLEU_4: percent(s.BLEU_4),
      ROUGE_L: percent(s.ROUGE_L),
    };
    return { metrics, primary: 'CIDEr', perSample: s.perImage.map((p) => percent(p.CIDEr)) };
  },
};
