// LAMBADA last-word accuracy: the model continues the passage (greedy) and is right if the first
// word it produces is the target word. The word is the generation up to the first whitespace,
// with punctuation around it removed (models often go on with "." or a quote). Case-sensitive,
// as the target is an exact word of the passage.

/** The word a generated continuation predicts. */
export function lambadaPredictedWord(generated: string): string {
  const first = generated.trimStart().split(/\s/u, 1)[0] ?? '';
  return first.replace(/^[\p{P}\p{S}]+|[\p{P}\p{S}]+$/gu, '');
}

/** Fraction (in [0, 1]) of passages whose target word was predicted. */
export function lambadaAccuracy(items: readonly { generated: string; target: string }[]): number {
  if (items.length === 0) throw new Error('lambadaAccuracy: no passages to score');
  return items.filter((it) => lambadaPredictedWord(it.generated) === it.target.trim()).length / items.length;
}
