// Run configs are nested JSON ({model: {vision: {imageSize: 64}}}), but studies read best as
// dotted overrides ('model.vision.imageSize': 64), the way the brief and the report name them.
// These helpers convert between the two and layer overrides on a study's base config.
import type { AblationRunConfig } from './runner.js';

type Json = unknown;

function isPlainObject(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** {'a.b': 1, 'a.c': 2} → {a: {b: 1, c: 2}}. A key that is both a leaf and a parent is an error. */
export function nested(dotted: Record<string, Json>): AblationRunConfig {
  const out: AblationRunConfig = {};
  for (const [path, value] of Object.entries(dotted)) {
    const parts = path.split('.');
    let node: Record<string, Json> = out;
    for (const [i, part] of parts.entries()) {
      if (i === parts.length - 1) {
        if (part in node) throw new Error(`config override '${path}' is given twice (or also as a parent of another key)`);
        node[part] = value;
      } else {
        if (!(part in node)) node[part] = {};
        const next = node[part];
        if (!isPlainObject(next)) throw new Error(`config override '${path}': '${parts.slice(0, i + 1).join('.')}' is already a value, not an object`);
        node = next;
      }
    }
  }
  return out;
}

/** Deep merge: objects merge key by key, anything else in `over` replaces what `base` had. Inputs are not modified. */
export function mergeConfig(base: AblationRunConfig, over: AblationRunConfig): AblationRunConfig {
  const out: AblationRunConfig = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = isPlainObject(b) && isPlainObject(v) ? mergeConfig(b, v) : v;
  }
  return out;
}

/** {a: {b: 1}} → {'a.b': 1}; arrays stay leaves. Used to show configs in reports. */
export function flatten(config: AblationRunConfig, prefix = ''): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(config)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (isPlainObject(v)) Object.assign(out, flatten(v, key));
    else out[key] = v;
  }
  return out;
}
