// Matrix-product nodes out of an ONNX Runtime profile (JSON trace events), grouped by shape:
// used by bench/step_gemms.ts (in the step) and bench/gemm_variants.ts (one-node graphs).

export interface ProfileEvent {
  cat: string;
  name: string;
  ts: number;
  dur: number;
  args?: { op_name?: string; input_type_shape?: Record<string, number[]>[]; output_type_shape?: Record<string, number[]>[] };
}

export interface GemmGroup {
  op: string;
  a: string;
  b: string;
  out: string;
  nodes: number;
  /** FLOPs of one run of every node in the group. */
  flops: number;
  /** Sum over the group's nodes of each node's least kernel time over the runs (µs). */
  leastUs: number;
  /** Sum over the group's nodes of each node's median kernel time over the runs (µs). */
  medianUs: number;
}

const GEMM_OPS = new Set(['MatMul', 'Gemm', 'FusedMatMul']);
const dims = (s: Record<string, number[]> | undefined): number[] => (s ? Object.values(s)[0] : []);
const prod = (xs: number[]) => xs.reduce((p, d) => p * d, 1);

/** 2 × |out| × K, where K = (A's last two dims) / M and M = out[-2] (true with transA and batch broadcast). */
export function gemmFlops(a: number[], out: number[]): number {
  const m = out.length >= 2 ? out[out.length - 2] : 1;
  const k = prod(a.slice(-2)) / m;
  return 2 * prod(out) * k;
}

function middle(xs: number[]): number {
  const s = [...xs].sort((p, q) => p - q);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Kernel events of matrix-product nodes grouped by op and shapes, slowest group first. */
export function gemmNodeStats(events: ProfileEvent[]): GemmGroup[] {
  const perNode = new Map<string, { e: ProfileEvent; durs: number[] }>();
  for (const e of events) {
    if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time') || !GEMM_OPS.has(e.args?.op_name ?? '')) continue;
    const n = perNode.get(e.name) ?? { e, durs: [] };
    n.durs.push(e.dur);
    perNode.set(e.name, n);
  }
  const groups = new Map<string, GemmGroup>();
  for (const { e, durs } of perNode.values()) {
    const [a, b] = (e.args?.input_type_shape ?? []).map(dims);
    const out = dims(e.args?.output_type_shape?.[0]);
    const key = `${e.args?.op_name} ${a} ${b}`;
    const g = groups.get(key) ?? { op: e.args!.op_name!, a: `[${a}]`, b: `[${b}]`, out: `[${out}]`, nodes: 0, flops: 0, leastUs: 0, medianUs: 0 };
    g.nodes++;
    g.flops += gemmFlops(a, out);
    g.leastUs += Math.min(...durs);
    g.medianUs += middle(durs);
    groups.set(key, g);
  }
  return [...groups.values()].sort((p, q) => q.medianUs - p.medianUs);
}
