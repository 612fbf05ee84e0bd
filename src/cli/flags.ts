// Flag parsers shared by commands: commander reports a thrown InvalidArgumentError as
// "option '--max-tokens <n>' argument 'abc' is invalid. <our reason>".
import { InvalidArgumentError, type Command } from 'commander';
import type { GenerateOptions } from '../model/api.js';

export const wholeNumber =
  (min: number) =>
  (value: string): number => {
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(`Expected a whole number ≥ ${min}.`);
    return n;
  };

export const numberIn =
  (min: number, max: number, minExclusive = false) =>
  (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n > max || (minExclusive ? n <= min : n < min)) {
      throw new InvalidArgumentError(`Expected a number in ${minExclusive ? '(' : '['}${min}, ${max}].`);
    }
    return n;
  };

/** --max-tokens, --temperature, --top-p, --seed, as for `mm1 generate` and `mm1 chat`. */
export function addSamplingOptions(cmd: Command, defaultMaxTokens: number): Command {
  return cmd
    .option('--max-tokens <n>', 'most tokens to generate', wholeNumber(1), defaultMaxTokens)
    .option('--temperature <t>', 'sampling temperature; 0 = greedy (deterministic)', numberIn(0, 2), 0)
    .option('--top-p <p>', 'nucleus sampling: keep the smallest set of tokens with this much probability', numberIn(0, 1, true))
    .option('--seed <n>', 'sampling seed (same seed, same text)', wholeNumber(0));
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
