// `--config <file>`: a JSON object of settings that sits between the defaults and the flags.
// Only its top level is checked here (it must be an object); the command's schema checks
// every key inside it.
import { readFileSync } from 'node:fs';
import { isPlainObject } from '../schema/deep_merge.js';

/**
 * The parsed file, {} when no file is given. Its "device" key belongs to --device
 * (cli/device_flag.ts), not to the command's schema, so it is left out unless `keepDevice`.
 */
export function readConfigFile(path: string | undefined, opts: { keepDevice?: boolean } = {}): Record<string, unknown> {
  if (!path) return {};
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new Error(`--config ${path}: file not found`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new Error(`--config ${path}: not valid JSON (${(e as Error).message})`);
  }
  if (!isPlainObject(value)) {
    const got = value === null ? 'null' : Array.isArray(value) ? 'a JSON array' : typeof value;
    throw new Error(`--config ${path}: expected a JSON object {"key": value, ...} at the top level, got ${got}.`);
  }
  if (opts.keepDevice) return value;
  const { device: _device, ...settings } = value;
  return settings;
}

/** Only the flags given: commander leaves a flag without a default undefined, so it cannot hide a config file's value. */
export function givenOnly(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
}
