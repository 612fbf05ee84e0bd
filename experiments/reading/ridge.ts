// A linear probe: ridge regression onto one-hot labels, solved in closed form. Hand-written
// because the probe needs only a d×d solve (d ≤ ~1,500) and no ML library here does it in
// plain TypeScript; features are standardised, and λ is chosen on a held-out part of the
// training rows before the test rows are scored.

/** Solves A x = b in place for symmetric positive definite A [d, d] (Cholesky); b is [d, k]. */
function choleskySolve(A: Float64Array, b: Float64Array, d: number, k: number): Float64Array {
  const L = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * d + j];
      for (let t = 0; t < j; t++) s -= L[i * d + t] * L[j * d + t];
      if (i === j) {
        if (s <= 0) throw new Error(`ridge: matrix not positive definite at row ${i} (pivot ${s}); raise lambda`);
        L[i * d + i] = Math.sqrt(s);
      } else L[i * d + j] = s / L[j * d + j];
    }
  }
  const x = new Float64Array(b);
  for (let c = 0; c < k; c++) {
    for (let i = 0; i < d; i++) {
      let s = x[i * k + c];
      for (let t = 0; t < i; t++) s -= L[i * d + t] * x[t * k + c];
      x[i * k + c] = s / L[i * d + i];
    }
    for (let i = d - 1; i >= 0; i--) {
      let s = x[i * k + c];
      for (let t = i + 1; t < d; t++) s -= L[t * d + i] * x[t * k + c];
      x[i * k + c] = s / L[i * d + i];
    }
  }
  return x;
}

export interface ProbeData {
  /** Row-major features [n, d]. */
  x: Float64Array;
  labels: number[];
  d: number;
}

/** Fits on rows `fit`, returns accuracy on rows `score` for each lambda (relative to the fit rows' count). */
function fitScore(data: ProbeData, classes: number, fit: number[], score: number[], lambdas: number[]): number[] {
  const { x, d } = data;
  // Standardise with the fit rows' statistics; a bias column is implicit in the centring.
  const mean = new Float64Array(d);
  const sd = new Float64Array(d);
  for (const r of fit) for (let j = 0; j < d; j++) mean[j] += x[r * d + j] / fit.length;
  for (const r of fit) for (let j = 0; j < d; j++) sd[j] += (x[r * d + j] - mean[j]) ** 2 / fit.length;
  for (let j = 0; j < d; j++) sd[j] = Math.sqrt(sd[j]) || 1;
  const z = (r: number, j: number) => (x[r * d + j] - mean[j]) / sd[j];
  const Z = new Float64Array(fit.length * d);
  fit.forEach((r, i) => {
    for (let j = 0; j < d; j++) Z[i * d + j] = z(r, j);
  });
  const gram = new Float64Array(d * d);
  for (let i = 0; i < fit.length; i++) {
    const row = i * d;
    for (let a = 0; a < d; a++) {
      const va = Z[row + a];
      if (va === 0) continue;
      for (let b = 0; b <= a; b++) gram[a * d + b] += va * Z[row + b];
    }
  }
  for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) gram[b * d + a] = gram[a * d + b];
  const rhs = new Float64Array(d * classes);
  fit.forEach((r, i) => {
    for (let j = 0; j < d; j++) rhs[j * classes + data.labels[r]] += Z[i * d + j];
  });
  return lambdas.map((lambda) => {
    const A = new Float64Array(gram);
    for (let j = 0; j < d; j++) A[j * d + j] += lambda * fit.length;
    const W = choleskySolve(A, rhs, d, classes);
    let right = 0;
    for (const r of score) {
      let best = -Infinity;
      let arg = -1;
      for (let c = 0; c < classes; c++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += z(r, j) * W[j * classes + c];
        if (s > best) [best, arg] = [s, c];
      }
      if (arg === data.labels[r]) right++;
    }
    return right / score.length;
  });
}

export interface ProbeResult {
  /** Test accuracy with the λ that scored best on the validation rows. */
  accuracy: number;
  lambda: number;
}

/** Rows [0, 0.6n) fit, [0.6n, 0.75n) choose λ, [0.75n, n) test (then refit on fit+validation). */
export function ridgeProbe(data: ProbeData, classes: number, lambdas = [1e-3, 1e-2, 1e-1, 1]): ProbeResult {
  const n = data.labels.length;
  const rows = Array.from({ length: n }, (_, i) => i);
  const [a, b] = [Math.floor(n * 0.6), Math.floor(n * 0.75)];
  const val = fitScore(data, classes, rows.slice(0, a), rows.slice(a, b), lambdas);
  const lambda = lambdas[val.indexOf(Math.max(...val))];
  const [accuracy] = fitScore(data, classes, rows.slice(0, b), rows.slice(b), [lambda]);
  return { accuracy, lambda };
}
