// Serialise a graph to an ONNX ModelProto (opset 18). Parameters and data are graph
// inputs (fed every run); constants become initialisers; requested tensors are outputs.
import onnxProto from 'onnx-proto';
import { ONNX_DTYPE } from './dtype.js';
import { liveNodes, type AttrValue, type Graph, type Tensor } from './graph.js';
import type { HostTensor } from './host_tensor.js';

const { onnx } = onnxProto;
export const OPSET = 18;
const AT = onnx.AttributeProto.AttributeType;

function valueInfo(t: Tensor, name = t.name) {
  return onnx.ValueInfoProto.create({
    name,
    type: { tensorType: { elemType: ONNX_DTYPE[t.dtype], shape: { dim: t.shape.map((d) => ({ dimValue: d })) } } },
  });
}

function attribute(name: string, v: AttrValue) {
  if (typeof v === 'number') return onnx.AttributeProto.create({ name, type: AT.INT, i: v });
  if (typeof v === 'string') return onnx.AttributeProto.create({ name, type: AT.STRING, s: new TextEncoder().encode(v) });
  if (Array.isArray(v)) return onnx.AttributeProto.create({ name, type: AT.INTS, ints: v });
  if ('float' in v) return onnx.AttributeProto.create({ name, type: AT.FLOAT, f: v.float });
  return onnx.AttributeProto.create({ name, type: AT.FLOATS, floats: v.floats });
}

function initializer(name: string, v: HostTensor) {
  const raw = new Uint8Array(v.data.buffer, v.data.byteOffset, v.data.byteLength);
  return onnx.TensorProto.create({ name, dims: v.shape, dataType: ONNX_DTYPE[v.dtype], rawData: raw.slice() });
}

export interface ExportSpec {
  /** Graph inputs in the order they will be fed (default: all declared inputs and params). */
  inputs?: Tensor[];
  /** Tensors to return, with the names they get in the ONNX model. */
  outputs: Record<string, Tensor>;
  /**
   * Parameter values to bake into the model as initialisers instead of feeding them
   * (inference graphs: nothing to bind per run, and ONNX Runtime can pre-pack the weights).
   */
  frozen?: Map<string, HostTensor>;
}

export function exportOnnx(g: Graph, spec: ExportSpec): Uint8Array {
  const outs = Object.entries(spec.outputs);
  const nodes = liveNodes(
    g,
    outs.map(([, t]) => t),
  );
  const used = new Set<number>();
  for (const n of nodes) for (const i of n.inputs) if (i) used.add(i.id);
  const inputs = spec.inputs ?? [...g.inputs, ...g.params];
  const inputIds = new Set(inputs.map((t) => t.id));
  for (const id of used) {
    const t = g.tensors[id];
    if ((t.kind === 'input' || t.kind === 'param') && !inputIds.has(id) && !(t.kind === 'param' && spec.frozen?.has(t.name)))
      throw new Error(`exportOnnx: the outputs depend on ${t.kind} ${t.describe()}, which is not among the graph inputs`);
  }
  // A graph output computed by a node takes the output's name in the file, so ONNX Runtime
  // writes it once: an Identity under the output's name made it copy every one (the training
  // step's new parameters and optimiser state: ~1% of the bench recipe's kernel time).
  const taken = new Set<string>([...inputs.map((t) => t.name), ...nodes.flatMap((n) => n.outputs.map((o) => o.name))]);
  const renamed = new Map<number, string>();
  for (const [name, t] of outs)
    if (name !== t.name && t.kind === 'op' && !renamed.has(t.id) && !taken.has(name)) {
      renamed.set(t.id, name);
      taken.add(name);
    }
  const nameOf = (t: Tensor) => renamed.get(t.id) ?? t.name;
  const onnxNodes = nodes.map((n) =>
    onnx.NodeProto.create({
      opType: n.opType,
      domain: n.domain ?? '',
      name: `n${n.id}`,
      input: n.inputs.map((i) => (i ? nameOf(i) : '')),
      output: n.outputs.map((o) => nameOf(o)),
      attribute: Object.entries(n.attrs).map(([k, v]) => attribute(k, v)),
    }),
  );
  // An output that is directly an input, or another output's tensor, needs an Identity under its own name.
  const outputInfos = outs.map(([name, t]) => {
    if (name !== nameOf(t)) onnxNodes.push(onnx.NodeProto.create({ opType: 'Identity', input: [nameOf(t)], output: [name], name: `out_${name}` }));
    return valueInfo(t, name);
  });
  const consts = [...used].map((id) => g.tensors[id]).filter((t) => t.kind === 'const');
  const frozen = [...used].map((id) => g.tensors[id]).filter((t) => t.kind === 'param' && !inputIds.has(t.id));
  for (const t of frozen) {
    const v = spec.frozen!.get(t.name)!;
    if (v.dtype !== t.dtype || v.shape.length !== t.rank || v.shape.some((d, i) => d !== t.shape[i]))
      throw new Error(`exportOnnx: frozen value for ${t.describe()} is ${v.dtype} [${v.shape.join(', ')}]`);
  }
  const graph = onnx.GraphProto.create({
    name: g.name,
    node: onnxNodes,
    input: inputs.map((t) => valueInfo(t)),
    output: outputInfos,
    initializer: [...consts.map((t) => initializer(t.name, t.value!)), ...frozen.map((t) => initializer(t.name, spec.frozen!.get(t.name)!))],
  });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: OPSET }],
    producerName: 'mm1',
    graph,
  });
  return onnx.ModelProto.encode(model).finish();
}
