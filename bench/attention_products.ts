// The attention products of the ablation step ([16, 4, 320, 320] probabilities / score
// gradients against [16, 4, 320, 32] queries, keys, values and their gradients) in each form ONNX
// Runtime may run them: a plain MatMul, MatMul followed by a scalar Mul (ORT fuses it into
// FusedMatMul's alpha), a transposed side it fuses into FusedMatMul (transA / transB), and the
// [.., Dh, T] product the plain gradient of kᵀ takes. Timed by bench/one_node_forms.ts; the forms
// multiply different inputs of the same shapes, so its max_diff column says nothing here.
// MM1_ORT_THREADS=1 nice -n 10 node --import tsx bench/attention_products.ts [runs=20]
import * as op from '../src/engine/ops/index.js';
import { timeForms, wave, type Form } from './one_node_forms.js';

const runs = Number(process.argv[2] ?? 20);
const [B, H, T, D] = [16, 4, 320, 32];
// p [B, H, T, T], v [B, H, T, D], vT [B, H, D, T]
const FORMS: Record<string, Form> = {
  'PV: MatMul p·v': ([p, v]) => op.matmul(p, v),
  'PV: MatMul then scalar Mul (alpha)': ([p, v]) => op.mul(op.matmul(p, v), 0.5),
  'PV: p·(vT)ᵀ (transB)': ([p, , vT]) => op.mul(op.matmul(p, op.transposeLast2(vT)), 2),
  'PV: pᵀ·v (transA)': ([p, v]) => op.matmul(op.transposeLast2(p), v),
  'PV: (vᵀ·p)ᵀ, the same product': ([p, v]) => op.transposeLast2(op.matmul(op.transposeLast2(v), p)),
  'PV: pᵀ·v through 3-D views': ([p, v]) =>
    op.reshape(op.matmul(op.transpose(op.reshape(p, [B * H, T, T]), [0, 2, 1]), op.reshape(v, [B * H, T, D])), [B, H, T, D]),
  'VtP: vT·p ([.., D, T] out)': ([p, , vT]) => op.matmul(vT, p),
  'VtP: vᵀ·p (transA)': ([p, v]) => op.matmul(op.transposeLast2(v), p),
};
const inputs = { p: wave([B, H, T, T], 1), v: wave([B, H, T, D], 2), vT: wave([B, H, D, T], 3) };
for (const row of await timeForms(FORMS, inputs, runs)) console.log(JSON.stringify(row));
