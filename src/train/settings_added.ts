// Settings added to the run config (train/config.ts) after runs had already been started with it.
// A run.json written before a setting existed lacks its key, and the schema's default for new
// runs need not be what those runs did (data.version: new runs get world 2, older runs trained
// on world 1). Each entry below says what the key's absence meant: the behaviour the code had
// before the key existed. Only the keys listed here are filled in; any other key missing from a
// saved config stays missing, so a real change of settings is still refused by name.
//
// Add an entry whenever a setting with a default is added to the run config schema.

type Config = Record<string, unknown>;

export interface AddedSetting {
  /** Dotted path in the run config, e.g. "encoder.clipPool". */
  path: string;
  /** The value a saved config without the key ran with; `config` is the whole saved config. */
  absentMeans: (config: Config) => unknown;
  /**
   * Whether the ablation cache leaves the key out of its shared-stage hashes while it holds
   * `absentMeans` (stageIdentity): true for keys added after those hashes existed, so stages made
   * before the key still match. False for keys that were in the hashes from the start.
   */
  omitFromStageKeys: boolean;
  /** When and why it was added, for the reader of an old run. */
  added: string;
}

export const ADDED_SETTINGS: readonly AddedSetting[] = [
  {
    path: 'data.version',
    // LLaVA-data SFT configs get the default: the world version means nothing to them.
    absentMeans: (config) => ((config.data as Config).source === 'llava' ? 2 : 1),
    omitFromStageKeys: false,
    added: 'world v2 (before it, every run trained on world v1)',
  },
  {
    path: 'encoder.clipPool',
    absentMeans: () => 'mean',
    omitFromStageKeys: true,
    added: "the CLIP stage's pooling option (before it, CLIP always mean-pooled the patches)",
  },
];

/**
 * `saved` (a run config as some older mm1 wrote it) with every listed key it lacks set to what
 * its absence meant. A key is filled only where its parent section exists: an SFT config has no
 * `encoder`, and gains none. Anything that is not a config object comes back unchanged.
 */
export function withAddedSettings(saved: unknown): unknown {
  if (!isPlain(saved)) return saved;
  let out: Config = saved;
  for (const s of ADDED_SETTINGS) {
    const [parents, key] = split(s.path);
    const parent = at(out, parents);
    if (!isPlain(parent) || key in parent) continue;
    out = setAt(out, parents, { ...parent, [key]: s.absentMeans(out) });
  }
  return out;
}

/**
 * `config` as a shared stage's identity: the keys marked omitFromStageKeys are left out while
 * they hold the value their absence meant, so a stage's hash is the one an mm1 from before the
 * key computed (and its finished stage is found again), while any other value changes the hash.
 */
export function stageIdentity<T>(config: T): T {
  if (!isPlain(config)) return config;
  let out: Config = config;
  for (const s of ADDED_SETTINGS) {
    if (!s.omitFromStageKeys) continue;
    const [parents, key] = split(s.path);
    const parent = at(out, parents);
    if (!isPlain(parent) || !(key in parent) || JSON.stringify(parent[key]) !== JSON.stringify(s.absentMeans(out))) continue;
    const { [key]: _dropped, ...rest } = parent;
    out = setAt(out, parents, rest);
  }
  return out as T;
}

function split(path: string): [string[], string] {
  const parts = path.split('.');
  return [parts.slice(0, -1), parts[parts.length - 1]];
}

function at(config: Config, path: readonly string[]): unknown {
  return path.reduce<unknown>((x, k) => (isPlain(x) ? x[k] : undefined), config);
}

/** A copy of `config` with the object at `path` replaced; the input is not modified. */
function setAt(config: Config, path: readonly string[], value: Config): Config {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  return { ...config, [head]: setAt(config[head] as Config, rest, value) };
}

function isPlain(x: unknown): x is Config {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
