// The few text patterns that tie pictures to captions and answers. Interleaved training
// documents repeat them across pictures, and evaluation prompts end with them, so a model
// that learned the pattern in context can continue it (this is what makes few-shot work).

/** "question: what color is the star? answer: red." */
export function qaText(question: string, answer: string): string {
  return `question: ${question} answer: ${answer}.`;
}

/** The VQA prompt a model completes: qaText without its answer. Stop decoding at ".". */
export function qaPrompt(question: string): string {
  return `question: ${question} answer:`;
}

/** "caption: a red star." (the caption already ends with a period). */
export function captionText(caption: string): string {
  return `caption: ${caption}`;
}

/** The captioning prompt a model completes after an image. Stop decoding at ".". */
export const CAPTION_PROMPT = 'caption:';
