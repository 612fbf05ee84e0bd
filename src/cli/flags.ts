// Flag parsers shared by every command. Each is a commander argument parser, so a bad value
// fails while commander parses, before any action runs, as
//   option '--steps <n>' argument '0' is invalid. Expected a whole number ≥ 1.
// (the flag, what came, what is expected), and the action receives the value typed.
// A flag without a default stays undefined when not given, so it can leave a config file alone.
import { InvalidArgumentError, type Command } from 'commander';
import type { GenerateOptions } from '../model/infer/api.js';

/** A safe integer ≥ min, or undefined. Anything Number() reads counts (12, 1e3); blank is not 0. */
function toWholeNumber(value: string, min: number): number | undefined {
  const n = Number(value);
  return value.trim() !== '' && Number.isSafeInteger(n) && n >= min ? n : undefined;
}

export const wholeNumber =
  (min: number) =>
  (value: string): number => {
    const n = toWholeNumber(value, min);
    if (n === undefined) throw new InvalidArgumentError(`Expected a whole number ≥ ${min}.`);
    return n;
  };

/** "0,4,8" -> [0, 4, 8]; empty parts are skipped. */
export const wholeNumberList =
  (min: number) =>
  (value: string): number[] => {
    const parts = value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const expected = `Expected a comma-separated list of whole numbers ≥ ${min}, e.g. ${min},4`;
    if (parts.length === 0) throw new InvalidArgumentError(`${expected}.`);
    return parts.map((p) => {
      const n = toWholeNumber(p, min);
      if (n === undefined) throw new InvalidArgumentError(`${expected}; '${p}' is not one.`);
      return n;
    });
  };

/** A number in [min, max], or (min, max] with minExclusive; max = Infinity for no upper bound. */
export const numberIn =
  (min: number, max: number, minExclusive = false) =>
  (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n > max || (minExclusive ? n <= min : n < min)) {
      const range = max === Infinity ? `${minExclusive ? '>' : '≥'} ${min}` : `in ${minExclusive ? '(' : '['}${min}, ${max}]`;
      throw new InvalidArgumentError(`Expected a number ${range}.`);
    }
    return n;
  };

/** --max-tokens, --temperature, --top-p, --seed, as for `mm1 generate` and `mm1 chat`. */
export function addSamplingOptions(cmd: Command, defaultMaxTokens: number): Command {
  return cmd
    .option('--max-tokens <n>', 'most tokens to generate', wholeNumber(1), defaultMaxTokens)
    .option('--temperature <t>', 'sampling temperature; 0 = greedy (deterministic)', numberIn(0, 2), 0)
    .option('--top-p <p>', 'nucleus sampling: keep the smallest set of tokens with this much probability', numberIn(0, 1, true))
    .option('--seed <n>', 'sampling seed (same seed, same text); without it each sampled generation draws a fresh one', wholeNumber(0));
}

export interface SamplingFlags {
  maxTokens: number;
  temperature: number;
  topP?: number;
  seed?: number;
}

export function samplingOptions(f: SamplingFlags): Omit<GenerateOptions, 'onText'> {
  return {
    maxNewTokens: f.maxTokens,
    temperature: f.temperature,
    ...(f.topP !== undefined ? { topP: f.topP } : {}),
    ...(f.seed !== undefined ? { seed: f.seed } : {}),
  };
}
