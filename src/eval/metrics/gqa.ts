// GQA accuracy as the official GQA eval.py computes it: the prediction must equal the single
// gold answer exactly (no normalisation, case-sensitive); reported as a percentage. Harnesses
// that lower-case or VQA-normalise predictions first report different numbers.
export function gqaAccuracy(items: readonly { prediction: string; answer: string }[]): number {
  if (items.length === 0) throw new Error('gqaAccuracy: no questions to score');
  const correct = items.filter((it) => it.prediction === it.answer).length;
  return (100 * correct) / items.length;
}
