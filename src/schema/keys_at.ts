// The keys an object schema accepts at a path inside a larger schema, so an "unknown key"
// error can name the nearest valid one. zod reports an unknown key with the path of the
// object that holds it, not the schema of that object, so we walk the schema ourselves.
import type { z } from 'zod';

/** The parts of zod 4's internal definition this walk reads. */
interface SchemaDef {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  in?: z.ZodType;
  element?: z.ZodType;
  valueType?: z.ZodType;
}

const defOf = (s: z.ZodType): SchemaDef => (s as unknown as { _zod: { def: SchemaDef } })._zod.def;

/** Strips wrappers (default, optional, nullable, pipe, ...) down to the schema that holds data. */
function unwrap(s: z.ZodType): z.ZodType {
  for (;;) {
    const d = defOf(s);
    const inner = d.innerType ?? (d.type === 'pipe' ? d.in : undefined);
    if (!inner) return s;
    s = inner;
  }
}

/** Keys of the object schema at `path` under `root`; [] when the path does not lead to an object. */
export function keysAt(root: z.ZodType, path: readonly PropertyKey[]): string[] {
  let s = unwrap(root);
  for (const step of path) {
    const d = defOf(s);
    const next = d.type === 'object' ? d.shape?.[String(step)] : d.type === 'array' ? d.element : d.type === 'record' ? d.valueType : undefined;
    if (!next) return [];
    s = unwrap(next);
  }
  const d = defOf(s);
  return d.type === 'object' && d.shape ? Object.keys(d.shape) : [];
}
