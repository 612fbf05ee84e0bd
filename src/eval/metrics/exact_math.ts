// Correctly rounded log, exp and pow for the scorers. Why not Math.*: V8's fdlibm-based versions
// differ in the last bit from glibc (which CPython and NumPy call) for ~1% of logs and ~5% of
// pows; glibc is correctly rounded in all but ~0.1% of cases, so rounding the true value lands on
// the reference's bits almost always. Values are computed in double-double arithmetic (~106-bit
// significand) and rounded once.

type DD = readonly [number, number]; // hi + lo, |lo| <= ulp(hi)/2

function twoSum(a: number, b: number): DD {
  const s = a + b;
  const bb = s - a;
  return [s, a - (s - bb) + (b - bb)];
}
function quickTwoSum(a: number, b: number): DD {
  const s = a + b;
  return [s, b - (s - a)];
}
/** Dekker's split: a = hi + lo with 26-bit halves, so their products are exact. */
function split(a: number): DD {
  const t = 134217729 * a; // 2^27 + 1
  const hi = t - (t - a);
  return [hi, a - hi];
}
function twoProd(a: number, b: number): DD {
  const p = a * b;
  const [ah, al] = split(a);
  const [bh, bl] = split(b);
  return [p, ah * bh - p + ah * bl + al * bh + al * bl];
}
function add(a: DD, b: DD): DD {
  const [s, e] = twoSum(a[0], b[0]);
  const [t, f] = twoSum(a[1], b[1]);
  const [u, g] = quickTwoSum(s, e + t);
  return quickTwoSum(u, g + f);
}
function mul(a: DD, b: DD): DD {
  const [p, e] = twoProd(a[0], b[0]);
  return quickTwoSum(p, e + (a[0] * b[1] + a[1] * b[0]));
}
const scale = (a: DD, s: number): DD => [a[0] * s, a[1] * s]; // s a power of two: exact

const LN2: DD = [0.6931471805599453, 2.3190468138462996e-17];
/** 1/k! for k = 2..13 as double-doubles (1/k! = 1/(k-1)! / k, divided in double-double). */
const INV_FACT: DD[] = [];
{
  let f: DD = [1, 0];
  for (let k = 2; k <= 13; k++) {
    const q1 = f[0] / k;
    const [p, pe] = twoProd(q1, k);
    f = quickTwoSum(q1, (f[0] - p - pe + f[1]) / k);
    INV_FACT.push(f);
  }
}

/** e^a in double-double: a = k ln2 + r, e^r from a Taylor series on r/1024, squared back up. */
function expDD(a: DD): DD {
  if (a[0] > 709.8) return [Infinity, 0];
  if (a[0] < -745.2) return [0, 0];
  const k = Math.round(a[0] / LN2[0]);
  const r = scale(add(a, mul(LN2, [-k, 0])), 1 / 1024); // |r| < 3.4e-4
  // expm1(r) = r + r^2/2! + ... ; 12 terms reach 1e-45 relative.
  let term: DD = r;
  let sum: DD = r;
  for (const inv of INV_FACT) {
    term = mul(term, r);
    sum = add(sum, mul(term, inv));
  }
  // expm1(2x) = 2 expm1(x) + expm1(x)^2, ten times: expm1(1024 r)
  for (let i = 0; i < 10; i++) sum = add(scale(sum, 2), mul(sum, sum));
  const e = add([1, 0], sum);
  // 2^k in two steps so that 2^k itself never overflows
  const h = Math.trunc(k / 2);
  return scale(scale(e, 2 ** h), 2 ** (k - h));
}

/** ln x in double-double: one Newton step y + x e^-y - 1 from the double estimate. */
function logDD(x: number): DD {
  const y = Math.log(x);
  if (!Number.isFinite(y) || x === 1) return [y, 0];
  const t = mul(expDD([-y, 0]), [x, 0]); // ~1
  return add([y, 0], add(t, [-1, 0]));
}

export function exactLog(x: number): number {
  const [hi, lo] = logDD(x);
  return hi + lo;
}

export function exactExp(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const [hi, lo] = expDD([x, 0]);
  return hi + lo;
}

/** x ** y for x >= 0 (what the scorers need), correctly rounded. */
export function exactPow(x: number, y: number): number {
  if (y === 0 || x === 1) return 1;
  if (y === 1) return x;
  if (y === 0.5) return Math.sqrt(x); // sqrt is correctly rounded by IEEE 754
  if (x === 0) return y > 0 ? 0 : Infinity;
  if (!(x > 0) || !Number.isFinite(x) || !Number.isFinite(y)) return Math.pow(x, y);
  const [hi, lo] = expDD(mul(logDD(x), [y, 0]));
  return hi + lo;
}
