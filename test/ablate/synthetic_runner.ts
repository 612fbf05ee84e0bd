// A deterministic stand-in for training + evaluation, for testing the study framework (cache,
// resume, aggregation, claims, report), whose properties do not depend on real training.
// Scores are a formula of the config that agrees with MM1's lessons (`sign` = +1) or
// contradicts every one of them (`sign` = −1), plus seeded noise of std `noise`. Per-item
// scores (`items` per metric and shot count) scatter around the metric with a difficulty shared
// by every run (the same items) and run noise of std `itemNoise`; their mean is the metric.
import { Rng } from '../../src/engine/rng.js';
import { canonicalJson } from '../../src/ablate/canonical_json.js';
import type { ItemScores, Metrics, AblationRunConfig, RunResult, RunSignal, Runner } from '../../src/ablate/runner.js';

const get = (c: AblationRunConfig, path: string): unknown => path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], c);
const num = (c: AblationRunConfig, path: string, dflt: number): number => {
  const v = get(c, path);
  return typeof v === 'number' ? v : dflt;
};

function hash32(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

export function syntheticMetrics(config: AblationRunConfig, opts: { sign?: number; noise?: number } = {}): Metrics {
  const sign = opts.sign ?? 1;
  const rng = new Rng(hash32(canonicalJson(config)));
  const noise = () => (opts.noise ?? 0.3) * rng.normal();
  const sftRes = num(config, 'sft.imageSize', num(config, 'model.vision.imageSize', 64));
  const pixels = sftRes * Math.max(1, num(config, 'sft.subImageGrid', 0));
  const kind = get(config, 'model.connector.kind') as string | undefined;
  const mix = (get(config, 'data.mixture') ?? {}) as { interleaved?: number; caption?: number; text?: number; syntheticCaptionShare?: number };
  const [il, cap, txt, syn] = [mix.interleaved ?? 45, mix.caption ?? 45, mix.text ?? 10, mix.syntheticCaptionShare ?? 0];
  // The SFT-transfer studies: connector differences show in pretrained-only runs (sft.steps 0)
  // and vanish in fine-tuned ones read on the SFT suite (eval.suite 'sft'); reversed, the other way round.
  const connectorGain = get(config, 'eval.suite') === 'sft' ? (sign > 0 ? 0 : 10) : get(config, 'sft.steps') === 0 ? (sign > 0 ? 10 : 0) : 1;
  const image =
    6 * Math.log2(pixels / 32) +
    0.1 * (num(config, 'model.vision.width', 64) - 64) +
    2 * Math.log2(num(config, 'model.connector.tokens', 16) / 4) +
    connectorGain * ({ avgpool: 0, attnpool: 0.2, cabstractor: 0.4 }[kind ?? 'cabstractor'] ?? 0);
  const zero = 0.05 * cap;
  const few = 0.06 * il + 0.2 * txt + 8 * syn;
  const text = 0.05 * il + 0.5 * txt;
  const at = (base: number, shots: number) => 30 + sign * (image + (shots === 0 ? zero : few)) + base + noise();
  return {
    'caption/cider': Object.fromEntries([0, 4, 8].map((k) => [String(k), at(10 + k, k)])),
    'vqa/accuracy': Object.fromEntries([0, 4, 8].map((k) => [String(k), at(k / 2, k)])),
    'text/mc_acc': { '0': 40 + sign * text + noise() },
  };
}

/** `n` item scores per metric × shots whose mean is exactly the metric: shared difficulty + run noise. */
export function syntheticItems(metrics: Metrics, config: AblationRunConfig, opts: { n?: number; itemNoise?: number } = {}): ItemScores {
  const n = opts.n ?? 40;
  const rng = new Rng(hash32(`items/${canonicalJson(config)}`));
  const out: ItemScores = {};
  for (const [metric, byShots] of Object.entries(metrics)) {
    out[metric] = {};
    for (const [shots, value] of Object.entries(byShots)) {
      const difficulty = Array.from({ length: n }, (_, i) => 10 * new Rng(hash32(`${metric}/${i}`)).normal());
      const noise = Array.from({ length: n }, () => (opts.itemNoise ?? 2) * rng.normal());
      const raw = difficulty.map((d, i) => d + noise[i]);
      const centre = raw.reduce((a, b) => a + b, 0) / n;
      out[metric][shots] = Object.fromEntries(raw.map((x, i) => [`item${i}`, value + x - centre]));
    }
  }
  return out;
}

export interface SyntheticRunner extends Runner {
  calls: { config: AblationRunConfig; runDir: string }[];
}

/** Records its calls; `failOnCall` (1-based) throws there, like a crash or Ctrl-C mid-study. */
export function syntheticRunner(opts: { sign?: number; noise?: number; itemNoise?: number; failOnCall?: number } = {}): SyntheticRunner {
  const calls: SyntheticRunner['calls'] = [];
  const runner = async (config: AblationRunConfig, runDir: string, signal: RunSignal): Promise<RunResult> => {
    calls.push({ config, runDir });
    if (calls.length === opts.failOnCall) throw new Error('simulated crash');
    signal.log(`training ${JSON.stringify(config.seed)}`);
    // Like the real runner, sub-image prompts are long: the 8-shot evaluation gets fewer shots.
    const warnings = num(config, 'sft.subImageGrid', 0) > 0 ? { warnings: ['world-coco 8-shot: at most 4 shots fit; using k = 4.'] } : {};
    const metrics = syntheticMetrics(config, opts);
    return { metrics, wallSeconds: 2 + (calls.length % 3), extra: { finalLoss: 1.5 }, items: syntheticItems(metrics, config, opts), ...warnings };
  };
  return Object.assign(runner, { calls });
}
