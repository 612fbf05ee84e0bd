// Which settings of two run configs differ, by dotted path, for errors that name each one
// (`train.seed: the run has 3, this command gives 4`) instead of "the settings differ".

export interface SettingDifference {
  path: string;
  saved: unknown;
  given: unknown;
}

/** Leaf-by-leaf differences; arrays compare whole (a list is one setting). */
export function settingsDiff(saved: unknown, given: unknown, path = ''): SettingDifference[] {
  if (isPlain(saved) && isPlain(given)) {
    const keys = [...new Set([...Object.keys(saved), ...Object.keys(given)])].sort();
    return keys.flatMap((k) => settingsDiff(saved[k], given[k], path ? `${path}.${k}` : k));
  }
  return JSON.stringify(saved) === JSON.stringify(given) ? [] : [{ path: path || '(whole config)', saved, given }];
}

/** One line per difference, e.g. "  train.seed: the run has 3, this command gives 4". */
export function describeDifferences(diffs: readonly SettingDifference[]): string {
  const show = (v: unknown) => (v === undefined ? '(unset)' : JSON.stringify(v));
  return diffs.map((d) => `  ${d.path}: the run has ${show(d.saved)}, this command gives ${show(d.given)}`).join('\n');
}

function isPlain(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
