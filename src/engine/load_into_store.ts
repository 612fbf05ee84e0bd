// Checked loading of a safetensors file into a model whose parameter names and shapes are
// known. Every mismatch is collected first, so one error lists them all with the fix,
// instead of failing on the first and leaving the user to rerun for each.
import type { DType } from './dtype.js';
import { shapeString, sameShape, type HostTensor } from './host_tensor.js';
import { readSafetensors, type SafetensorsFile } from './safetensors.js';

/** A parameter's expected shape (float32 implied) or shape and dtype. */
export type ExpectedTensor = readonly number[] | { shape: readonly number[]; dtype: DType };

export interface LoadOptions {
  /** Tensors in the file that the model does not have are an error (default true); false ignores them. */
  strict?: boolean;
  /** Parameters absent from the file are an error (default false); true leaves them to the caller's initialisation. */
  allowMissing?: boolean;
  /** Maps a name in the file to a parameter name, or to null to skip it (e.g. HF names → mm1 names). */
  rename?: (nameInFile: string) => string | null;
}

export interface LoadResult {
  /** Parameter name → tensor, for every expected parameter found in the file. */
  tensors: Map<string, HostTensor>;
  /** Expected parameters absent from the file (only non-empty with allowMissing). */
  missing: string[];
  /** Names in the file that were skipped: renamed to null, or unknown with strict: false. */
  ignored: string[];
}

export function loadIntoStore(expected: Map<string, ExpectedTensor>, file: string | SafetensorsFile, options: LoadOptions = {}): LoadResult {
  const { strict = true, allowMissing = false, rename = (n: string) => n } = options;
  const source = typeof file === 'string' ? readSafetensors(file) : file;
  const tensors = new Map<string, HostTensor>();
  const ignored: string[] = [];
  const problems: string[] = [];
  const kinds = new Set<'shape' | 'dtype' | 'missing' | 'unknown' | 'duplicate'>();
  const fromFile = new Map<string, string>(); // parameter name → name in the file
  const storedDtype = new Map(source.entries.map((e) => [e.name, e.dtype]));

  for (const [nameInFile, tensor] of source.tensors) {
    const name = rename(nameInFile);
    if (name === null) {
      ignored.push(nameInFile);
      continue;
    }
    const shown = name === nameInFile ? `'${name}'` : `'${name}' (from '${nameInFile}')`;
    const spec = expected.get(name);
    if (!spec) {
      if (strict) {
        problems.push(`${shown}: in the file but not a parameter of the model`);
        kinds.add('unknown');
      } else ignored.push(nameInFile);
      continue;
    }
    if (fromFile.has(name)) {
      problems.push(`${shown}: also produced by '${fromFile.get(name)}'; two file tensors map to one parameter`);
      kinds.add('duplicate');
      continue;
    }
    fromFile.set(name, nameInFile);
    const { shape, dtype } = normalise(spec);
    const stored = storedDtype.get(nameInFile) ?? tensor.dtype;
    if (!sameShape(tensor.shape, shape)) {
      problems.push(`${shown}: expected ${dtype} ${shapeString(shape)}, found ${stored} ${shapeString(tensor.shape)}`);
      kinds.add('shape');
    } else if (tensor.dtype !== dtype) {
      problems.push(`${shown}: expected ${dtype}, found ${stored} (read as ${tensor.dtype})`);
      kinds.add('dtype');
    } else {
      tensors.set(name, tensor);
    }
  }
  const missing = [...expected.keys()].filter((name) => !fromFile.has(name));
  if (!allowMissing) {
    for (const name of missing) {
      const { shape, dtype } = normalise(expected.get(name)!);
      problems.push(`'${name}': missing from the file (expected ${dtype} ${shapeString(shape)})`);
      kinds.add('missing');
    }
  }
  if (problems.length) throw new Error(report(source, problems, kinds));
  return { tensors, missing, ignored };
}

function normalise(spec: ExpectedTensor): { shape: readonly number[]; dtype: DType } {
  return Array.isArray(spec) ? { shape: spec, dtype: 'float32' } : (spec as { shape: readonly number[]; dtype: DType });
}

const MAX_LISTED = 30; // a wholly wrong file would otherwise print every tensor

function report(source: SafetensorsFile, problems: string[], kinds: Set<string>): string {
  const recipe = source.metadata.recipe ? ` (its metadata says recipe '${source.metadata.recipe}')` : '';
  const fixes: string[] = [];
  if (kinds.has('shape'))
    fixes.push(`shapes differ: this checkpoint was made for another model configuration${recipe}; load it with the recipe it was trained with`);
  if (kinds.has('dtype'))
    fixes.push('dtypes differ: the file stores these tensors in a type the model cannot use; convert them (e.g. to F32) or check that this is the right file');
  if (kinds.has('missing'))
    fixes.push('missing tensors: pass --allow-missing (allowMissing: true) to keep their initial values, e.g. when adding new layers to a pretrained model');
  if (kinds.has('unknown')) fixes.push('unknown tensors: pass --no-strict (strict: false) to ignore them, or map names with a rename rule');
  if (kinds.has('duplicate')) fixes.push('duplicates: fix the rename rule so that each parameter comes from one tensor');
  return [
    `${source.source} does not fit the model (${problems.length} problem${problems.length > 1 ? 's' : ''}):`,
    ...problems.slice(0, MAX_LISTED).map((p) => `  - ${p}`),
    ...(problems.length > MAX_LISTED ? [`  ... and ${problems.length - MAX_LISTED} more`] : []),
    'How to fix:',
    ...fixes.map((f) => `  - ${f}`),
  ].join('\n');
}
