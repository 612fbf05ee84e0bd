// Ridge regression in its dual (kernel) form: the resolution probe's one learned part.
// Hand-written because it is thirty lines (standardise, X·Xᵀ, Cholesky, two triangular
// solves) and every npm linear-algebra package would be a dependency for that alone.
// Dual form because probes have more features (pixels) than training items.

export interface RidgeModel {
  mean: Float64Array;
  scale: Float64Array;
  /** Mean target [C]: the intercept, which λ does not shrink. */
  intercept: Float64Array;
  /** Standardised training rows [N, D]. */
  rows: Float64Array[];
  /** Dual coefficients [N, C]. */
  alpha: Float64Array[];
  outputs: number;
}

/**
 * Fits W minimising |XW + b − Y|² + λ|W|² on standardised features, with an unpenalised
 * intercept b (the mean target: features are centred). λ is fixed relative to the data
 * (`relLambda` × mean squared row norm), never tuned on evaluation items.
 */
export function fitRidge(x: readonly Float64Array[], y: readonly Float64Array[], relLambda = 0.1): RidgeModel {
  const n = x.length;
  if (n === 0 || y.length !== n) throw new Error(`fitRidge: need as many targets as rows (≥ 1), got ${n} rows and ${y.length} targets`);
  const d = x[0].length;
  const mean = new Float64Array(d);
  const scale = new Float64Array(d);
  for (const r of x) for (let j = 0; j < d; j++) mean[j] += r[j] / n;
  for (const r of x) for (let j = 0; j < d; j++) scale[j] += (r[j] - mean[j]) ** 2 / n;
  for (let j = 0; j < d; j++) scale[j] = scale[j] > 1e-12 ? 1 / Math.sqrt(scale[j]) : 0; // constant features drop out
  const rows = x.map((r) => standardise(r, mean, scale));
  const k = Array.from({ length: n }, () => new Float64Array(n));
  let trace = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const v = dot(rows[i], rows[j]);
      k[i][j] = v;
      k[j][i] = v;
    }
    trace += k[i][i];
  }
  const lambda = relLambda * (trace / n) + 1e-12; // + ε: all-constant features leave K = 0
  for (let i = 0; i < n; i++) k[i][i] += lambda;
  const l = cholesky(k);
  const outputs = y[0].length;
  const intercept = new Float64Array(outputs);
  for (const t of y) for (let c = 0; c < outputs; c++) intercept[c] += t[c] / n;
  const alpha = Array.from({ length: n }, () => new Float64Array(outputs));
  for (let c = 0; c < outputs; c++) {
    const sol = choleskySolve(
      l,
      y.map((t) => t[c] - intercept[c]),
    );
    for (let i = 0; i < n; i++) alpha[i][c] = sol[i];
  }
  return { mean, scale, intercept, rows, alpha, outputs };
}

export function predictRidge(m: RidgeModel, x: Float64Array): Float64Array {
  const z = standardise(x, m.mean, m.scale);
  const out = Float64Array.from(m.intercept);
  for (let i = 0; i < m.rows.length; i++) {
    const kv = dot(m.rows[i], z);
    for (let c = 0; c < m.outputs; c++) out[c] += kv * m.alpha[i][c];
  }
  return out;
}

function standardise(r: Float64Array, mean: Float64Array, scale: Float64Array): Float64Array {
  const z = new Float64Array(r.length);
  for (let j = 0; j < r.length; j++) z[j] = (r[j] - mean[j]) * scale[j];
  return z;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += a[j] * b[j];
  return s;
}

/** Lower-triangular L with L·Lᵀ = A (A symmetric positive definite). */
function cholesky(a: Float64Array[]): Float64Array[] {
  const n = a.length;
  const l = Array.from({ length: n }, () => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i][j];
      for (let k = 0; k < j; k++) s -= l[i][k] * l[j][k];
      if (i === j) {
        if (s <= 0) throw new Error(`fitRidge: kernel matrix not positive definite at row ${i} (pivot ${s}); raise relLambda`);
        l[i][i] = Math.sqrt(s);
      } else l[i][j] = s / l[j][j];
    }
  }
  return l;
}

function choleskySolve(l: Float64Array[], b: number[]): Float64Array {
  const n = l.length;
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i][k] * y[k];
    y[i] = s / l[i][i];
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < n; k++) s -= l[k][i] * x[k];
    x[i] = s / l[i][i];
  }
  return x;
}
