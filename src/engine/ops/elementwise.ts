// Elementwise ops with numpy broadcasting, and their gradient rules.
import type { Tensor } from '../graph.js';
import { isFloat, type DType } from '../dtype.js';
import { registerGrad } from '../grad_registry.js';
import { broadcastShapes, constant, graphOf, lift, sameDtype, type TensorLike } from './util.js';
import { sumToShape } from './reduce.js';

function binary(opType: string, x: TensorLike, y: TensorLike, outDtype?: DType): Tensor {
  const g = graphOf(x, y);
  const a = typeof x === 'number' ? lift(x, y as Tensor) : x;
  const b = typeof y === 'number' ? lift(y, a) : y;
  sameDtype(opType, a, b);
  const shape = broadcastShapes(opType, a.shape, b.shape);
  return g.node(opType, [a, b], [{ shape, dtype: outDtype ?? a.dtype }])[0];
}

function unary(opType: string, a: Tensor, outDtype?: DType): Tensor {
  if (!isFloat(a.dtype) && !outDtype && opType !== 'Neg' && opType !== 'Not')
    throw new Error(`${opType}: needs a float tensor, got ${a.describe()}; cast() it first`);
  return a.graph.node(opType, [a], [{ shape: a.shape, dtype: outDtype ?? a.dtype }])[0];
}

export const add = (a: TensorLike, b: TensorLike) => binary('Add', a, b);
export const sub = (a: TensorLike, b: TensorLike) => binary('Sub', a, b);
export const mul = (a: TensorLike, b: TensorLike) => binary('Mul', a, b);
export const div = (a: TensorLike, b: TensorLike) => binary('Div', a, b);
export const pow = (a: Tensor, b: TensorLike) => binary('Pow', a, b);
export const maximum = (a: TensorLike, b: TensorLike) => binary('Max', a, b);
export const neg = (a: Tensor) => unary('Neg', a);
export const sqrt = (a: Tensor) => unary('Sqrt', a);
export const reciprocal = (a: Tensor) => unary('Reciprocal', a);
export const rsqrt = (a: Tensor) => reciprocal(sqrt(a));
export const exp = (a: Tensor) => unary('Exp', a);
export const log = (a: Tensor) => unary('Log', a);
export const tanh = (a: Tensor) => unary('Tanh', a);
export const sigmoid = (a: Tensor) => unary('Sigmoid', a);
export const relu = (a: Tensor) => unary('Relu', a);
export const erf = (a: Tensor) => unary('Erf', a);
export const identity = (a: Tensor) => a.graph.node('Identity', [a], [{ shape: a.shape, dtype: a.dtype }])[0];
export const square = (a: Tensor) => mul(a, a);

// Comparisons and logic: bool results, no gradient.
export const equal = (a: TensorLike, b: TensorLike) => binary('Equal', a, b, 'bool');
export const less = (a: TensorLike, b: TensorLike) => binary('Less', a, b, 'bool');
export const greater = (a: TensorLike, b: TensorLike) => binary('Greater', a, b, 'bool');
export const logicalAnd = (a: Tensor, b: Tensor) => binary('And', a, b, 'bool');
export const logicalNot = (a: Tensor) => unary('Not', a, 'bool');

/** SiLU / swish: x·σ(x). */
export const silu = (x: Tensor) => mul(x, sigmoid(x));

/** GELU, exact (erf) form: x·½(1 + erf(x/√2)). */
export function gelu(x: Tensor): Tensor {
  return mul(mul(x, 0.5), add(erf(mul(x, Math.SQRT1_2)), 1));
}

/**
 * GELU, tanh approximation (GPT-2, CLIP "gelu_pytorch_tanh"): ½x(1 + tanh(u)), u = √(2/π)(x + 0.044715x³).
 * Built as x·σ(2u) with 2u = x·(2√(2/π) + 2√(2/π)·0.044715·x²) (½(1 + tanh u) = σ(2u)): 6 nodes
 * instead of 9 over the ViT's widest activations, the same function up to float rounding.
 */
export function geluTanh(x: Tensor): Tensor {
  const c = 2 * Math.sqrt(2 / Math.PI);
  return mul(x, sigmoid(mul(x, add(mul(mul(x, x), c * 0.044715), c))));
}

/** Choose a where cond is true, else b (broadcasting). */
export function where(cond: Tensor, a: TensorLike, b: TensorLike): Tensor {
  const like = typeof a !== 'number' ? a : typeof b !== 'number' ? b : constant(cond.graph, a);
  const ta = lift(a, like);
  const tb = lift(b, like);
  sameDtype('where', ta, tb);
  if (cond.dtype !== 'bool') throw new Error(`where: condition must be bool, got ${cond.describe()}`);
  const shape = broadcastShapes('where', broadcastShapes('where', cond.shape, ta.shape), tb.shape);
  return cond.graph.node('Where', [cond, ta, tb], [{ shape, dtype: ta.dtype }])[0];
}

export function cast(a: Tensor, to: DType): Tensor {
  if (a.dtype === to) return a;
  const codes: Record<DType, number> = { float32: 1, int32: 6, int64: 7, bool: 9, float64: 11 };
  return a.graph.node('Cast', [a], [{ shape: a.shape, dtype: to }], { to: codes[to] })[0];
}

// ---- gradient rules -------------------------------------------------------------

registerGrad('Add', (n, [gy]) => [sumToShape(gy!, n.inputs[0]!.shape), sumToShape(gy!, n.inputs[1]!.shape)]);
registerGrad('Sub', (n, [gy]) => [sumToShape(gy!, n.inputs[0]!.shape), sumToShape(neg(gy!), n.inputs[1]!.shape)]);
registerGrad('Mul', (n, [gy], ctx) => {
  const [a, b] = n.inputs as Tensor[];
  if (ctx.rewrites && isSigmoidOf(b, a)) return [siluGrad(gy!, b, n.outputs[0]), null];
  if (ctx.rewrites && isSigmoidOf(a, b)) return [null, siluGrad(gy!, a, n.outputs[0])];
  // x·x: 2·(dy·x) is (dy·x) + (dy·x) bit for bit (doubling is exact), one node and no Add fewer.
  if (a === b) return [sumToShape(mul(mul(gy!, a), 2), a.shape), null];
  return [sumToShape(mul(gy!, b), a.shape), sumToShape(mul(gy!, a), b.shape)];
});

const isSigmoidOf = (s: Tensor, x: Tensor) => s.producer?.opType === 'Sigmoid' && s.producer.inputs[0] === x;

/**
 * SiLU s = x·σ(x) as a whole: ds/dx = σ + s(1 − σ), from the forward's σ and s, 4 nodes where the
 * product rule and Sigmoid's rule take 6 (and an Add). σ gets no gradient from this node, so
 * Sigmoid's rule adds only what σ's other readers send (none in SwiGLU).
 */
function siluGrad(gy: Tensor, sig: Tensor, s: Tensor): Tensor {
  return mul(gy, add(sig, mul(s, sub(1, sig))));
}
registerGrad('Div', (n, [gy]) => {
  const [a, b] = n.inputs as Tensor[];
  const ga = div(gy!, b);
  return [sumToShape(ga, a.shape), sumToShape(neg(mul(ga, n.outputs[0])), b.shape)];
});
registerGrad('Pow', (n, [gy]) => {
  const [a, b] = n.inputs as Tensor[];
  const ga = mul(gy!, mul(b, pow(a, sub(b, 1))));
  const gb = b.kind === 'const' ? null : sumToShape(mul(gy!, mul(n.outputs[0], log(a))), b.shape);
  return [sumToShape(ga, a.shape), gb];
});
registerGrad('Max', (n, [gy]) => {
  const [a, b] = n.inputs as Tensor[];
  const aWins = logicalNot(less(a, b));
  return [sumToShape(where(aWins, gy!, 0), a.shape), sumToShape(where(aWins, 0, gy!), b.shape)];
});
registerGrad('Neg', (_n, [gy]) => [neg(gy!)]);
registerGrad('Identity', (_n, [gy]) => [gy]);
registerGrad('Sqrt', (n, [gy]) => [div(gy!, mul(n.outputs[0], 2))]);
registerGrad('Reciprocal', (n, [gy]) => [neg(mul(gy!, square(n.outputs[0])))]);
registerGrad('Exp', (n, [gy]) => [mul(gy!, n.outputs[0])]);
registerGrad('Log', (n, [gy]) => [div(gy!, n.inputs[0]!)]);
registerGrad('Tanh', (n, [gy]) => [mul(gy!, sub(1, square(n.outputs[0])))]);
registerGrad('Sigmoid', (n, [gy]) => {
  const y = n.outputs[0];
  return [mul(gy!, mul(y, sub(1, y)))];
});
registerGrad('Relu', (n, [gy]) => [where(greater(n.inputs[0]!, 0), gy!, 0)]);
registerGrad('Erf', (n, [gy]) => {
  const x = n.inputs[0]!;
  return [mul(gy!, mul(exp(neg(square(x))), 2 / Math.sqrt(Math.PI)))];
});
registerGrad('Where', (n, [gy]) => {
  const [c, a, b] = n.inputs as Tensor[];
  return [null, sumToShape(where(c, gy!, 0), a.shape), sumToShape(where(c, 0, gy!), b.shape)];
});
registerGrad('Cast', (n, [gy]) => {
  const x = n.inputs[0]!;
  return [isFloat(x.dtype) ? cast(gy!, x.dtype) : null];
});
