// The graph IR: symbolic tensors with static shape and dtype, and nodes that are ONNX
// operators. Every node is exactly one ONNX node (opType + attributes), so export is a
// direct walk; higher-level ops (gelu, rms norm, attention) are compositions built by
// the op builders in ops/, and autodiff needs one rule per ONNX opType only.
import type { DType } from './dtype.js';
import type { HostTensor } from './host_tensor.js';

export type AttrValue = number | number[] | string | { float: number } | { floats: number[] };

/** How a parameter's initial values are drawn (materialised by param_store.ts). */
export type ParamInit =
  { kind: 'normal'; std: number } | { kind: 'truncnormal'; std: number } | { kind: 'uniform'; bound: number } | { kind: 'constant'; value: number };

export type TensorKind = 'input' | 'param' | 'const' | 'op';

export class Tensor {
  constructor(
    readonly graph: Graph,
    readonly id: number,
    readonly shape: readonly number[],
    readonly dtype: DType,
    readonly kind: TensorKind,
    /** The node that computes this tensor (kind 'op'), else null. */
    readonly producer: Node | null,
    /** Graph-unique name; inputs and params keep the name they were declared with. */
    readonly name: string,
    /** Host data for constants. */
    readonly value: HostTensor | null = null,
  ) {}

  get rank(): number {
    return this.shape.length;
  }

  /** A short description for error messages: `'x' [2, 3] float32`. */
  describe(): string {
    return `'${this.name}' [${this.shape.join(', ')}] ${this.dtype}`;
  }
}

export interface Node {
  id: number;
  opType: string;
  domain?: string;
  attrs: Record<string, AttrValue>;
  inputs: (Tensor | null)[];
  outputs: Tensor[];
}

export class Graph {
  readonly tensors: Tensor[] = [];
  readonly nodes: Node[] = [];
  readonly inputs: Tensor[] = [];
  readonly params: Tensor[] = [];
  readonly paramInits = new Map<number, ParamInit>();
  private readonly names = new Set<string>();
  private readonly constCache = new Map<string, Tensor>();
  /** Name prefix stack, so modules name their parameters `vit.blocks.0.attn.q.weight`. */
  private readonly scopes: string[] = [];

  constructor(readonly name = 'mm1') {}

  private uniqueName(base: string): string {
    let name = base;
    for (let i = 1; this.names.has(name); i++) name = `${base}_${i}`;
    this.names.add(name);
    return name;
  }

  private claimExactName(name: string, what: string): string {
    if (this.names.has(name)) throw new Error(`${what} '${name}' is declared twice in graph '${this.name}'`);
    this.names.add(name);
    return name;
  }

  private make(shape: readonly number[], dtype: DType, kind: TensorKind, producer: Node | null, name: string, value: HostTensor | null = null): Tensor {
    for (const d of shape) if (!Number.isInteger(d) || d < 0) throw new Error(`tensor '${name}': invalid dimension ${d} in shape [${shape.join(', ')}]`);
    const t = new Tensor(this, this.tensors.length, [...shape], dtype, kind, producer, name, value);
    this.tensors.push(t);
    return t;
  }

  /** A value fed at run time (data, learning rate, ...). */
  input(name: string, shape: readonly number[], dtype: DType = 'float32'): Tensor {
    const t = this.make(shape, dtype, 'input', null, this.claimExactName(name, 'input'));
    this.inputs.push(t);
    return t;
  }

  /** A trainable parameter; its full name includes the current scope. */
  param(name: string, shape: readonly number[], init: ParamInit = { kind: 'normal', std: 0.02 }, dtype: DType = 'float32'): Tensor {
    const full = [...this.scopes, name].join('.');
    const t = this.make(shape, dtype, 'param', null, this.claimExactName(full, 'parameter'));
    this.params.push(t);
    this.paramInits.set(t.id, init);
    return t;
  }

  /** Run `fn` with `name` pushed onto the parameter-name scope. */
  scope<T>(name: string | number, fn: () => T): T {
    this.scopes.push(String(name));
    try {
      return fn();
    } finally {
      this.scopes.pop();
    }
  }

  /** A constant embedded in the model; identical small constants are shared. */
  constant(value: HostTensor, hint = 'const'): Tensor {
    const key = value.data.length <= 64 ? `${value.dtype}|${value.shape}|${Array.from(value.data as ArrayLike<unknown>).join(',')}` : '';
    const cached = key ? this.constCache.get(key) : undefined;
    if (cached) return cached;
    const t = this.make(value.shape, value.dtype, 'const', null, this.uniqueName(hint), value);
    if (key) this.constCache.set(key, t);
    return t;
  }

  /** Add one ONNX node; output shapes and dtypes come from the op builder's inference. */
  node(
    opType: string,
    inputs: (Tensor | null)[],
    outs: { shape: readonly number[]; dtype: DType }[],
    attrs: Record<string, AttrValue> = {},
    domain?: string,
  ): Tensor[] {
    for (const t of inputs)
      if (t && t.graph !== this) throw new Error(`${opType}: input ${t.describe()} belongs to graph '${t.graph.name}', not '${this.name}'`);
    const node: Node = { id: this.nodes.length, opType, domain, attrs, inputs, outputs: [] };
    const base = opType.toLowerCase();
    for (const o of outs) node.outputs.push(this.make(o.shape, o.dtype, 'op', node, this.uniqueName(`${base}_${this.tensors.length}`)));
    this.nodes.push(node);
    return node.outputs;
  }
}

/** Nodes needed to compute `targets`, in graph (topological) order. */
export function liveNodes(g: Graph, targets: Tensor[]): Node[] {
  const live = new Set<number>();
  const stack = [...targets];
  const seen = new Set<number>();
  while (stack.length) {
    const t = stack.pop()!;
    if (seen.has(t.id)) continue;
    seen.add(t.id);
    if (t.producer && !live.has(t.producer.id)) {
      live.add(t.producer.id);
      for (const i of t.producer.inputs) if (i) stack.push(i);
    }
  }
  return g.nodes.filter((n) => live.has(n.id));
}
