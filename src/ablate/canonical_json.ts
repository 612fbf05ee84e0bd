// Canonical JSON: object keys sorted at every level, so equal configs written in any key order
// give the same text and therefore the same cache hash. Hand-written because it is twenty lines
// and we only ever hash our own plain configs (RFC 8785's number rules add nothing here).
// Anything JSON cannot carry exactly (NaN, Infinity, functions, bigint, undefined in an array)
// is an error naming its path, because silently dropping it would merge distinct runs.

export function canonicalJson(value: unknown, path = '$'): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`canonicalJson: ${path} is ${value}; run configs must hold finite numbers`);
    return JSON.stringify(value); // -0 becomes 0, 64.0 is 64
  }
  if (Array.isArray(value)) return `[${value.map((v, i) => canonicalJson(v, `${path}[${i}]`)).join(',')}]`;
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined) // as JSON.stringify does: an absent key and an undefined one are the same config
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v, `${path}.${k}`)}`).join(',')}}`;
  }
  const kind = value === undefined ? 'undefined' : typeof value === 'object' ? `a ${value.constructor?.name ?? 'non-plain'} object` : `a ${typeof value}`;
  throw new Error(`canonicalJson: ${path} is ${kind}; run configs must be plain JSON (objects, arrays, strings, finite numbers, booleans, null)`);
}
