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

export function intFlag(flag: string, value: string | undefined, min: number, fallback?: number): number {
  if (value === undefined) {
    if (fallback === undefined) throw new Error(`${flag} is required`);
    return fallback;
  }
  const n = Number(value);
  if (!/^-?\d+$/.test(value.trim()) || n < min) throw new Error(`${flag} ${value}: expected a whole number ≥ ${min}`);
  return n;
}

export function numberFlag(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new Error(`${flag} ${value}: expected a number`);
  return n;
}

/** "0,4,8" -> [0, 4, 8] */
export function intListFlag(flag: string, value: string): number[] {
  const parts = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (parts.length === 0) throw new Error(`${flag}: expected a comma-separated list of whole numbers, e.g. 0,4`);
  return parts.map((p) => intFlag(flag, p, 0));
}
