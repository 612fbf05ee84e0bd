// Running a model at a resolution other than the one it was trained at (MM1 high-res SFT):
// the learned position grids are resized with bicubic interpolation on the host, exactly as
// torch F.interpolate(mode='bicubic', align_corners=False) does in HF CLIP's
// interpolate_pos_encoding, with the class-token row kept apart. Hand-written because it
// runs once on a few-kB table; no image library exposes torch's kernel (a = -0.75, taps
// clamped at the border, source index not clamped).
import { numel, type HostTensor } from '../../engine/host_tensor.js';
import type { ParamValues } from '../../engine/param_store.js';
import type { VisionConfig } from './config.js';
import { patchGrid } from './vit.js';

const A = -0.75;
/** Cubic convolution kernel for |x| ≤ 1 and 1 < |x| < 2 (torch's cubic_convolution1/2). */
const near = (x: number) => ((A + 2) * x - (A + 3)) * x * x + 1;
const far = (x: number) => ((A * x - 5 * A) * x + 8 * A) * x - 4 * A;

/** Bicubic resampling along one axis as a matrix [outSize, inSize] (row o holds the weights of output o). */
export function bicubicMatrix(inSize: number, outSize: number): Float64Array {
  const m = new Float64Array(outSize * inSize);
  const scale = inSize / outSize;
  for (let o = 0; o < outSize; o++) {
    const src = scale * (o + 0.5) - 0.5;
    const i0 = Math.floor(src);
    const t = src - i0;
    const taps = [far(t + 1), near(t), near(1 - t), far(2 - t)];
    for (let k = 0; k < 4; k++) {
      const i = Math.min(Math.max(i0 - 1 + k, 0), inSize - 1);
      m[o * inSize + i] += taps[k];
    }
  }
  return m;
}

/**
 * Resize a position table [extra + G², C] to [extra + newGrid², C]: the first `extra` rows
 * (the class token) are copied, the G×G grid (row-major) is resized bicubically per channel.
 */
export function resizePositionTable(table: HostTensor, extra: number, newGrid: number, name = 'position table'): HostTensor {
  const [rows, c] = table.shape;
  const grid = Math.round(Math.sqrt(rows - extra));
  if (table.shape.length !== 2 || grid * grid !== rows - extra)
    throw new Error(`${name}: expected [${extra} + G², C] with a square grid, got [${table.shape.join(', ')}]`);
  const src = table.data as Float32Array | Float64Array;
  const out = new Float32Array(numel([extra + newGrid * newGrid, c]));
  out.set(src.subarray(0, extra * c));
  const wm = bicubicMatrix(grid, newGrid); // the same matrix for rows (y) and columns (x)
  const tmp = new Float64Array(newGrid * grid); // resized along y: [newGrid, grid] per channel
  for (let ch = 0; ch < c; ch++) {
    const at = (y: number, x: number) => src[(extra + y * grid + x) * c + ch];
    tmp.fill(0);
    for (let oy = 0; oy < newGrid; oy++)
      for (let y = 0; y < grid; y++) {
        const wy = wm[oy * grid + y];
        if (wy !== 0) for (let x = 0; x < grid; x++) tmp[oy * grid + x] += wy * at(y, x);
      }
    for (let oy = 0; oy < newGrid; oy++)
      for (let ox = 0; ox < newGrid; ox++) {
        let s = 0;
        for (let x = 0; x < grid; x++) s += wm[ox * grid + x] * tmp[oy * grid + x];
        out[(extra + oy * newGrid + ox) * c + ch] = s;
      }
  }
  return { dtype: 'float32', shape: [extra + newGrid * newGrid, c], data: out };
}

/** The position tables of an mm1 model: name and number of leading non-grid rows. */
function positionTables(vision: VisionConfig): { name: string; extra: number }[] {
  return [
    { name: 'vision.position_embedding', extra: vision.classToken ? 1 : 0 },
    { name: 'connector.pos_emb', extra: 0 }, // C-Abstractor; absent for other connectors
  ];
}

/**
 * A copy of `params` whose position tables fit images of `imageSize` pixels (the other
 * tensors are shared, not copied). At the resolution the tables already have, every value
 * is reproduced exactly (bicubic weights are 0,1,0,0 there).
 */
export function adaptToResolution(params: ParamValues, vision: VisionConfig, imageSize: number): ParamValues {
  const grid = patchGrid(vision, imageSize);
  if (!params.has('vision.position_embedding'))
    throw new Error(
      `adaptToResolution: no 'vision.position_embedding' among the ${params.size} parameters; pass the values of a model built with visionEncoder`,
    );
  const out: ParamValues = new Map(params);
  for (const { name, extra } of positionTables(vision)) {
    const table = params.get(name);
    if (table) out.set(name, resizePositionTable(table, extra, grid, name));
  }
  return out;
}
