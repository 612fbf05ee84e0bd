// The few Python/NumPy behaviours that reference implementations rely on, reproduced bit for
// bit so mm1 gives the same numbers: str.split()/rstrip() whitespace, NumPy's pairwise float
// sum (np.mean), and round(x, n) (round-half-even on the exact binary value). The metrics use
// them to print the reference scorers' digits; the C-Abstractor uses round() for timm's
// squeeze-excite widths.

/** Characters Python's str.split()/strip() treat as whitespace (differs from JS \s). */
const PY_WS = '\\t\\n\\u000B\\u000C\\r\\u001C-\\u001F \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000';
const PY_WS_RUN = new RegExp(`[${PY_WS}]+`);
const PY_WS_TRAIL = new RegExp(`[${PY_WS}]+$`);
const PY_WS_LEAD = new RegExp(`^[${PY_WS}]+`);

/** Python `s.split()`: split on whitespace runs, no empty strings. */
export function pySplit(s: string): string[] {
  return s.split(PY_WS_RUN).filter((w) => w.length > 0);
}

/** Python `s.rstrip()`. */
export function pyRstrip(s: string): string {
  return s.replace(PY_WS_TRAIL, '');
}

/** Python `s.strip()`. */
export function pyStrip(s: string): string {
  return pyRstrip(s).replace(PY_WS_LEAD, '');
}

/** NumPy's float64 add.reduce (pairwise summation with 8 accumulators, blocks of 128), which
 *  np.sum/np.mean use on a contiguous 1-D array; a plain loop differs in the last bits. */
export function numpySum(a: readonly number[], start = 0, n = a.length): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res += a[start + i];
    return res;
  }
  if (n <= 128) {
    const r = a.slice(start, start + 8);
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let j = 0; j < 8; j++) r[j] += a[start + i + j];
    let res = r[0] + r[1] + (r[2] + r[3]) + (r[4] + r[5] + (r[6] + r[7]));
    for (; i < n; i++) res += a[start + i];
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return numpySum(a, start, n2) + numpySum(a, start + n2, n - n2);
}

/** np.mean of a float64 array (NaN for an empty one, like NumPy). */
export function numpyMean(a: readonly number[]): number {
  return a.length === 0 ? NaN : numpySum(a) / a.length;
}

/** Python 3 `sum(list)` of floats before 3.12: a plain left-to-right loop. */
export function pySum(a: readonly number[]): number {
  let s = 0;
  for (const x of a) s += x;
  return s;
}

/** Python `round(x, digits)`: rounds the exact binary value of x. Exact ties go to even in
 *  Python 3 and away from zero in Python 2 (ties: 'away'), e.g. 12.125 -> 12.12 vs 12.13. */
export function pyRound(x: number, digits: number, ties: 'even' | 'away' = 'even'): number {
  if (!Number.isFinite(x) || Math.abs(x) >= 1e21) return x; // such doubles are integers already
  // toFixed(100) prints the exact decimal expansion of doubles in the ranges metrics produce.
  const exact = Math.abs(x).toFixed(100);
  const dot = exact.indexOf('.');
  const kept = exact.slice(0, dot + 1 + digits);
  const rest = exact.slice(dot + 1 + digits);
  const tie = rest[0] === '5' && /^50*$/.test(rest);
  const keptDigits = kept.replace('.', '');
  const lastDigit = Number(keptDigits[keptDigits.length - 1]);
  const up = rest[0] > '5' || (rest[0] === '5' && (!tie || ties === 'away' || lastDigit % 2 === 1));
  let scaled = BigInt(kept.replace('.', ''));
  if (up) scaled += 1n;
  const str = scaled.toString().padStart(digits + 1, '0');
  const value = Number(`${str.slice(0, str.length - digits)}.${str.slice(str.length - digits)}`);
  return x < 0 || Object.is(x, -0) ? -value : value;
}
