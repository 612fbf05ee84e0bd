// The reading experiments' closed-choice probe: after [picture, prompt text], rank a closed list
// of answers by log-likelihood and count the best-scoring one right; and the same with the
// picture replaced by mid-gray (128, not eval's CLIP-mean blank in src/eval/blank_images.ts:
// the recorded results of choice.ts, word_only.ts and word_share.ts were made with this one).
// A gain over the gray picture's count is what the model read from the pixels.
import type { RgbImage } from '../../src/data/document.js';
import type { Mm1Model } from '../../src/model/infer/api.js';

/** The picture's size, every byte 128. */
export function grayPicture(image: RgbImage): RgbImage {
  return { ...image, data: new Uint8Array(image.data.length).fill(128) };
}

export interface ChoiceItem {
  image: RgbImage;
  /** The right answer, one of the options. */
  answer: string;
}

/** Items whose best-scoring option (continuation ` ${option}` after [picture, text]) is the answer: with the picture, and with it gray. */
export async function pictureChoice(
  model: Mm1Model,
  items: readonly ChoiceItem[],
  text: string,
  options: readonly string[],
): Promise<{ right: number; grayRight: number }> {
  let right = 0;
  let grayRight = 0;
  for (const item of items) {
    for (const [image, isGray] of [
      [item.image, false],
      [grayPicture(item.image), true],
    ] as const) {
      const context = {
        segments: [
          { kind: 'image' as const, image },
          { kind: 'text' as const, text },
        ],
      };
      const ll = await model.logLikelihood(options.map((o) => ({ context, continuation: ` ${o}` })));
      const best = ll.reduce((b, l, j) => (l.logProb > ll[b].logProb ? j : b), 0);
      if (options[best] === item.answer) {
        if (isGray) grayRight++;
        else right++;
      }
    }
  }
  return { right, grayRight };
}
