// `npm run mutate`: put each hand-written bug of mutations.ts into a scratch copy of the tree,
// run the tests that should notice it, and report caught / survived and the catch rate.
// The working tree is never touched: the copy lives in a temporary folder (node_modules is
// linked), so an interrupted run leaves nothing to restore. Hand mutations rather than a
// mutation tool: StrykerJS has no runner for `node --test`, and a short list aimed at what
// users trust (verdicts, optimizer steps, connectors, server limits) says more per minute.
//
//   npm run mutate                        every mutation, tests of this tree
//   npm run mutate -- --only a,b          some of them
//   npm run mutate -- --tree /other/tree  the same bugs against another checkout's tests
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MUTATIONS, type Mutation } from './mutations.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** A test run that takes longer than this counts as caught (a hang is noticed), with a note. */
const TIMEOUT_MS = 15 * 60_000;

type Outcome = 'caught' | 'survived' | 'stale' | 'no tests';

function parseArgs(argv: string[]): { only: string[] | null; tree: string } {
  let only: string[] | null = null;
  let tree = ROOT;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--only') only = (argv[++i] ?? '').split(',').filter(Boolean);
    else if (argv[i] === '--tree') tree = resolve(argv[++i] ?? '');
    else throw new Error(`mutate: unknown argument '${argv[i]}'; use --only id,id or --tree DIR`);
  }
  if (only) {
    const unknown = only.filter((id) => !MUTATIONS.some((m) => m.id === id));
    if (unknown.length) throw new Error(`mutate: no mutation named ${unknown.join(', ')}; known: ${MUTATIONS.map((m) => m.id).join(', ')}`);
  }
  if (!existsSync(join(tree, 'src')) || !existsSync(join(tree, 'test')))
    throw new Error(`mutate: ${tree} has no src/ and test/; pass --tree a checkout of mm1`);
  return { only, tree };
}

/** Copy the tree (without node_modules, .git and run outputs) and link node_modules. */
function scratchCopy(tree: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'mm1-mutate-'));
  const skip = new Set(['node_modules', '.git', 'dist', 'runs']);
  for (const entry of readdirSync(tree)) if (!skip.has(entry)) cpSync(join(tree, entry), join(dir, entry), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

/** Test files named by a mutation that exist in the copy (folders expand to their *.test.ts). */
function testFiles(dir: string, paths: string[]): string[] {
  const out: string[] = [];
  const walk = (p: string) => {
    if (statSync(join(dir, p)).isDirectory()) for (const e of readdirSync(join(dir, p)).sort()) walk(join(p, e));
    else if (p.endsWith('.test.ts')) out.push(p);
  };
  for (const p of paths) if (existsSync(join(dir, p))) walk(p);
  return [...new Set(out)];
}

function runTests(dir: string, files: string[]): { ok: boolean; timedOut: boolean; tail: string } {
  const env = { ...process.env };
  delete env.MM1_SLOW;
  const r = spawnSync('nice', ['-n', '10', process.execPath, '--import', 'tsx', '--test', ...files], {
    cwd: dir,
    env,
    encoding: 'utf8',
    timeout: TIMEOUT_MS,
    maxBuffer: 64 * 2 ** 20,
  });
  const failing = (r.stdout ?? '').split('\n').filter((l) => /^not ok /.test(l.trim()));
  return {
    ok: r.status === 0,
    timedOut: r.error !== undefined,
    tail: failing
      .slice(0, 3)
      .map((l) => l.trim())
      .join('; '),
  };
}

function apply(dir: string, m: Mutation): (() => void) | null {
  const path = join(dir, m.file);
  if (!existsSync(path)) return null;
  const original = readFileSync(path, 'utf8');
  if (original.split(m.find).length !== 2) return null;
  writeFileSync(
    path,
    original.replace(m.find, () => m.replace),
  );
  return () => writeFileSync(path, original);
}

function main(): void {
  const { only, tree } = parseArgs(process.argv.slice(2));
  const chosen = MUTATIONS.filter((m) => !only || only.includes(m.id));
  const dir = scratchCopy(tree);
  // Ctrl-C reaches the running tests too; once they return, the scratch copy is removed.
  for (const sig of ['SIGINT', 'SIGTERM'] as const)
    process.on(sig, () => {
      rmSync(dir, { recursive: true, force: true });
      process.exit(130);
    });
  try {
    // A dry run first, file by file: a test that fails without any bug would make every bug
    // look caught. A file that fails (twice, or once: flaky timing on a busy machine) is left
    // out of the mutation runs and named, so the figures below never count it.
    const all = testFiles(
      dir,
      chosen.flatMap((m) => m.tests),
    );
    process.stdout.write(`mutate: ${tree}, ${chosen.length} mutations; dry run of ${all.length} test files...\n`);
    const flaky = new Set<string>();
    for (const f of all) {
      if (runTests(dir, [f]).ok) continue;
      const again = runTests(dir, [f]);
      process.stdout.write(
        `left out: ${f} fails without any mutation${again.ok ? ' once (flaky)' : ` twice (${again.timedOut ? 'timed out' : again.tail})`}\n`,
      );
      flaky.add(f);
    }
    const rows: { m: Mutation; outcome: Outcome; note: string }[] = [];
    for (const m of chosen) {
      const files = testFiles(dir, m.tests).filter((f) => !flaky.has(f));
      const restore = apply(dir, m);
      let outcome: Outcome,
        note = '';
      if (!restore) [outcome, note] = ['stale', `'${m.find}' is not in ${m.file} exactly once: update mutations.ts`];
      else if (files.length === 0) {
        restore();
        [outcome, note] = ['no tests', `none of ${m.tests.join(', ')} exists`];
      } else {
        try {
          const r = runTests(dir, files);
          outcome = r.ok ? 'survived' : 'caught';
          note = r.timedOut ? 'tests timed out' : r.tail;
        } finally {
          restore();
        }
      }
      rows.push({ m, outcome, note });
      process.stdout.write(`${outcome.padEnd(8)} ${m.id} — ${m.harm}${note ? `\n         ${note}` : ''}\n`);
    }
    const counted = rows.filter((r) => r.outcome === 'caught' || r.outcome === 'survived' || r.outcome === 'no tests');
    const caught = counted.filter((r) => r.outcome === 'caught').length;
    const stale = rows.length - counted.length;
    process.stdout.write(
      `\ncatch rate: ${caught} of ${counted.length} (${counted.length ? Math.round((100 * caught) / counted.length) : 0}%)${stale ? `; ${stale} stale, not counted` : ''}\n`,
    );
    const survivors = counted.filter((r) => r.outcome !== 'caught').map((r) => r.m.id);
    if (survivors.length) process.stdout.write(`survived: ${survivors.join(', ')}\n`);
    process.exitCode = survivors.length ? 1 : 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
