// Flag parsing helpers shared by commands: numbers with ranges, errors that name the flag.

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
