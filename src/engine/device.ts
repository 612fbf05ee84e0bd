// Which ONNX Runtime execution provider runs the graphs: `cpu` (the default), `cuda`, `dml`
// (DirectML) or `coreml`. A process runs on one device, chosen once at start (`--device`, the
// config file's `device`, or MM1_DEVICE) and read by every session (engine/session.ts), so the
// model, train and serve code never hears of devices.
//
// The CPU provider ships inside onnxruntime-node; the others depend on how it was installed and
// on which system it runs. `ensureDevice` therefore opens a one-node session on the device before
// any work, so a missing provider fails at start with what was found and how to install it,
// never halfway through a run.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { Graph } from './graph.js';
import { exportOnnx } from './onnx_export.js';
import * as op from './ops/index.js';

export const DEVICES = ['cpu', 'cuda', 'dml', 'coreml'] as const;
export type Device = (typeof DEVICES)[number];

/** Where each provider exists and how to get it: the fix an error names. */
const INSTALL: Record<Exclude<Device, 'cpu'>, { ep: string; name: string; how: string }> = {
  cuda: {
    ep: 'cuda',
    name: 'CUDA',
    how:
      'CUDA runs on Linux x64 with an NVIDIA GPU, CUDA 12 and cuDNN 9 on the library path. onnxruntime-node downloads its CUDA ' +
      'binaries at install time, which this project skips (.npmrc): fetch them with `ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node`. ' +
      'See docs/scale.md.',
  },
  dml: {
    ep: 'dml',
    name: 'DirectML',
    how: 'DirectML ships inside onnxruntime-node on Windows (x64, arm64) and needs a DirectX 12 GPU; it is not available on Linux or macOS. See docs/scale.md.',
  },
  coreml: {
    ep: 'coreml',
    name: 'CoreML',
    how: 'CoreML ships inside onnxruntime-node on macOS (x64, arm64); it is not available on Linux or Windows. See docs/scale.md.',
  },
};

/** `value` as a device, or an error naming where it came from and the choices. */
export function parseDevice(value: string, source: string): Device {
  const v = value.trim().toLowerCase();
  if ((DEVICES as readonly string[]).includes(v)) return v as Device;
  throw new Error(`${source}: unknown device '${value}'; expected one of ${DEVICES.join(', ')} (cpu is the default)`);
}

/** The flag, else the config file's `device`, else MM1_DEVICE, else cpu. */
export function resolveDevice(o: { flag?: string; configFile?: unknown; configPath?: string; env?: NodeJS.ProcessEnv }): Device {
  if (o.flag !== undefined) return parseDevice(o.flag, '--device');
  if (o.configFile !== undefined) {
    if (typeof o.configFile !== 'string') throw new Error(`${o.configPath ?? '--config'}: "device" must be a string, one of ${DEVICES.join(', ')}`);
    return parseDevice(o.configFile, `${o.configPath ?? '--config'} "device"`);
  }
  const env = (o.env ?? process.env).MM1_DEVICE;
  if (env !== undefined && env !== '') return parseDevice(env, 'MM1_DEVICE');
  return 'cpu';
}

let selected: Device | undefined;

/** Runs every session of this process (and the serve worker it starts) on `device`. */
export function useDevice(device: Device): void {
  selected = device;
}

/** The device sessions use: the one chosen with useDevice, else MM1_DEVICE, else cpu. */
export function currentDevice(): Device {
  return selected ?? resolveDevice({});
}

/** The execution providers a session on `device` asks for, in order: nodes the device cannot run fall back to the CPU. */
export function executionProviders(device: Device): string[] {
  return device === 'cpu' ? ['cpu'] : [INSTALL[device].ep, 'cpu'];
}

/** What onnxruntime-node says it was built with, e.g. "cpu, webgpu, cuda (not installed), tensorrt (not installed)". */
export function providersFound(): string {
  return ort
    .listSupportedBackends()
    .map((b) => (b.bundled ? b.name : `${b.name} (not installed)`))
    .join(', ');
}

const ready = new Map<Device, Promise<void>>();

/**
 * Resolves once a session on `device` opens; otherwise rejects naming the device, what this
 * onnxruntime-node has, and how to install the provider. Checked once per process and device.
 */
export function ensureDevice(device: Device): Promise<void> {
  if (device === 'cpu') return Promise.resolve();
  let check = ready.get(device);
  if (!check) {
    check = probe(device);
    ready.set(device, check);
  }
  return check;
}

async function probe(device: Exclude<Device, 'cpu'>): Promise<void> {
  const i = INSTALL[device];
  const listed = ort.listSupportedBackends().find((b) => b.name === i.ep);
  // onnxruntime-common drops a provider its build lacks with only a console warning and runs on
  // the CPU, and ORT logs a red line when a provider library is missing: decide those cases
  // here, so the user reads one message and nothing runs on the wrong device.
  const missing = !listed
    ? 'this build has no such provider'
    : !listed.bundled && !existsSync(providerLibrary(i.ep))
      ? `${basename(providerLibrary(i.ep))} is not installed`
      : undefined;
  if (missing) throw deviceError(device, missing);
  const g = new Graph('device_probe');
  const x = g.input('x', [1]);
  const bytes = exportOnnx(g, { inputs: [x], outputs: { y: op.add(x, x) } });
  try {
    // The provider alone (no CPU fallback), so a provider that cannot start fails here.
    const session = await ort.InferenceSession.create(bytes, { executionProviders: [i.ep] });
    await session.release();
  } catch (err) {
    throw deviceError(device, firstLine((err as Error).message), err);
  }
}

/** Where onnxruntime-node keeps a provider that is installed beside its binding (CUDA, TensorRT). */
function providerLibrary(ep: string): string {
  const binding = dirname(createRequire(import.meta.url).resolve('onnxruntime-node'));
  return join(binding, '..', 'bin', 'napi-v6', process.platform, process.arch, `libonnxruntime_providers_${ep}.so`);
}

function deviceError(device: Exclude<Device, 'cpu'>, why: string, cause?: unknown): Error {
  const i = INSTALL[device];
  const version = (ort.env.versions as { node?: string } | undefined)?.node ?? 'unknown version';
  return new Error(
    `--device ${device}: the ${i.name} execution provider could not start (${why}).\n` +
      `This onnxruntime-node (${version}, ${process.platform}/${process.arch}) has: ${providersFound()}.\n` +
      `${i.how}\nUse --device cpu (the default) to run on the CPU.`,
    { cause },
  );
}

function firstLine(s: string): string {
  return s.split('\n')[0].slice(0, 200);
}
