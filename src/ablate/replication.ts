// `mm1 ablate compare EARLIER LATER`: does a study rerun on fresh training seeds give the same
// verdicts? Reads two study.json files (report.ts writes them) and reads each claim by issue #11's
// rule (docs/results/README.md, "Fresh seeds", fixed 2026-11-30 02:54): a claim whose earlier
// interval excluded 0 **holds** when the later interval lies on the same side of 0, is **not
// confirmed** when it holds 0 and **reversed** when it lies on the other side; a claim whose
// earlier interval held 0 is listed for information, with no reading.
import { z } from 'zod';
import { readJsonFile } from '../schema/read_json_file.js';
import { deltaCells, fmt, VERDICT_MARK } from './format.js';
import { STUDY_JSON_FORMAT, StudyJsonSchema, studyJsonPath } from './summary.js';
import { decide } from './verdict.js';

/** summary.ts's study.json, with what a replication also needs: the items' seed, and why a claim was not decided. */
const ReplicationStudySchema = StudyJsonSchema.extend({
  evalSeed: z.number().int(),
  claims: z.array(StudyJsonSchema.shape.claims.element.extend({ evidence: z.string() })),
});

export type ReplicationStudy = z.infer<typeof ReplicationStudySchema>;
export type ReplicationClaim = ReplicationStudy['claims'][number];

/** `path` is a study's --out directory or its study.json; errors name the file and the missing key. */
export function readReplicationStudy(path: string): ReplicationStudy {
  return readJsonFile(studyJsonPath(path), 'study', ReplicationStudySchema, STUDY_JSON_FORMAT);
}

export type Reading = 'holds' | 'not confirmed' | 'reversed' | 'information' | 'not judged';

export interface ReplicationRow {
  id: string;
  text: string;
  earlier: ReplicationClaim;
  later: ReplicationClaim;
  reading: Reading;
}

export interface Replication {
  earlier: ReplicationStudy;
  later: ReplicationStudy;
  /** Judged rows first (the earlier interval excluded 0), then the others, each in the earlier report's order. */
  rows: ReplicationRow[];
  /** Seeds in both reports: then the later one is not a fresh-seed replication. */
  sharedSeeds: number[];
}

/** A claim's interval as the rule reads it; a claim without one (not decided, or an old threshold verdict) has none. */
function side(c: { ci?: readonly [number, number] }): 'above' | 'below' | 'zero' | undefined {
  if (!c.ci) return undefined;
  const v = decide({ lo: c.ci[0], hi: c.ci[1] });
  return v === 'reproduced' ? 'above' : v === 'not reproduced' ? 'below' : 'zero';
}

function reading(earlier: ReplicationClaim, later: ReplicationClaim): Reading {
  const before = side(earlier);
  const after = side(later);
  if (before === undefined) return 'not judged';
  if (before === 'zero') return 'information';
  if (after === undefined) return 'not judged';
  return after === before ? 'holds' : after === 'zero' ? 'not confirmed' : 'reversed';
}

function refuse(what: string, a: string, b: string, fix: string): never {
  throw new Error(`the two reports differ in ${what} (earlier ${a}, later ${b}): ${fix}`);
}

/** Pairs the two reports' claims by id; refuses reports that are not the same study on the same items. */
export function compareStudies(earlier: ReplicationStudy, later: ReplicationStudy): Replication {
  if (earlier.study !== later.study)
    refuse('study', `'${earlier.study}'`, `'${later.study}'`, 'name two reports of one study, e.g. runs/ablate/encoder and runs/ablate-s3/encoder');
  if (earlier.scale !== later.scale)
    refuse('scale', earlier.scale, later.scale, `rerun the later one with --scale ${earlier.scale} (runs at another scale answer another question)`);
  if (earlier.evalSeed !== later.evalSeed)
    refuse(
      'eval seed',
      String(earlier.evalSeed),
      String(later.evalSeed),
      `a replication scores the same items; rerun the later one with --eval-seed ${earlier.evalSeed}`,
    );
  const laterById = new Map(later.claims.map((c) => [c.id, c]));
  for (const [a, b, name] of [
    [earlier, later, 'earlier'],
    [later, earlier, 'later'],
  ] as const) {
    const lone = a.claims.find((c) => !b.claims.some((d) => d.id === c.id));
    if (lone)
      throw new Error(
        `claim '${lone.id}' is in the ${name} report only: the two were made by versions of mm1 with different claims; ` +
          'remake the older report from its cached runs with the current mm1 (mm1 ablate <study> --report-only --out DIR --cache CACHE)',
      );
  }
  const rows = earlier.claims.map((c): ReplicationRow => ({
    id: c.id,
    text: c.text,
    earlier: c,
    later: laterById.get(c.id)!,
    reading: reading(c, laterById.get(c.id)!),
  }));
  const judged = (r: ReplicationRow) => r.reading !== 'information' && side(r.earlier) !== undefined;
  return {
    earlier,
    later,
    rows: [...rows.filter(judged), ...rows.filter((r) => !judged(r))],
    sharedSeeds: earlier.seedList.filter((s) => later.seedList.includes(s)),
  };
}

/** "seeds 0–2", or the list when they are not consecutive. */
function seedsLabel(list: readonly number[]): string {
  const consecutive = list.every((x, i) => i === 0 || x === list[i - 1] + 1);
  if (list.length === 1) return `seed ${list[0]}`;
  return `seeds ${consecutive ? `${list[0]}–${list[list.length - 1]}` : list.join(', ')}`;
}

/** "✔ +3.23 [+1.14, +5.66]"; a claim without an interval was not judged by this rule, whatever its report said. */
function claimCell(c: ReplicationClaim): string {
  if (side(c) === undefined) return 'not judged (see below)';
  const [delta, ci] = deltaCells(c);
  return `${VERDICT_MARK[c.verdict]} ${delta} ${ci}`;
}

function readingCell(r: ReplicationRow, before: string, after: string): string {
  if (r.reading === 'information') return `— (for information: ? in ${before})`;
  if (r.reading === 'not judged') return `— (not judged: no interval in ${side(r.earlier) === undefined ? before : after}; see below)`;
  return `**${r.reading}**${r.reading === 'holds' && r.earlier.verdict === 'not reproduced' ? ' (stays ✘)' : ''}`;
}

/** Notes under the table: claims decided without some variants or not at all, and unfinished reports. */
function noteLines(x: Replication, before: string, after: string): string[] {
  const notes: string[] = [];
  for (const r of x.rows) {
    for (const [c, seeds] of [
      [r.earlier, before],
      [r.later, after],
    ] as const) {
      if (side(c) === undefined || c.evidence.includes('Left out:')) notes.push(`- \`${r.id}\`, ${seeds}: ${c.evidence}`);
    }
  }
  for (const [s, seeds] of [
    [x.earlier, before],
    [x.later, after],
  ] as const) {
    const n = s.missing?.length ?? 0;
    if (n > 0) notes.push(`- ${seeds}: ${n} planned run${n === 1 ? '' : 's'} had not finished; its claims read the finished ones only.`);
  }
  return notes;
}

/** Seeds in both reports, said as a warning (the CLI prints it; the Markdown keeps it too). */
export function overlapWarning(x: Replication): string | undefined {
  if (x.sharedSeeds.length === 0) return undefined;
  return (
    `the two reports share ${seedsLabel(x.sharedSeeds)}, so the later one is not a fresh-seed replication: ` +
    `its intervals reuse runs the earlier one read. Rerun with --first-seed ${Math.max(...x.earlier.seedList) + 1}.`
  );
}

/** The comparison as Markdown: the table, notes, the seed std of each report, the rule. */
export function replicationMarkdown(x: Replication): string {
  const before = seedsLabel(x.earlier.seedList);
  const after = seedsLabel(x.later.seedList);
  const warning = overlapWarning(x);
  const std = Object.entries(x.later.seedStd ?? {}).map(([measure, sd]) => {
    const old = x.earlier.seedStd?.[measure];
    return `Seed std of \`${measure}\` over ${after}: ${fmt(sd)} (${before}: ${old === undefined ? '–' : fmt(old)}).`;
  });
  const notes = noteLines(x, before, after);
  return [
    ...(warning ? [`**Warning:** ${warning}`, ''] : []),
    ...(x.rows.length === 0
      ? [`No claims in ${x.earlier.study}'s reports (the seeds study has none): only the seed spread compares.`]
      : [
          `| claim | ${before} | ${after} | by the rule |`,
          '|---|---|---|---|',
          ...x.rows.map((r) => `| ${r.text} | ${claimCell(r.earlier)} | ${claimCell(r.later)} | ${readingCell(r, before, after)} |`),
        ]),
    '',
    ...(notes.length > 0 ? ['Claims read without some variants, or not decided:', '', ...notes, ''] : []),
    ...std.flatMap((l) => [l, '']),
    `*Rule.* A claim whose ${before} interval excludes 0 **holds** when its ${after} interval lies on the same side of 0 ` +
      '(✔ stays ✔, ✘ stays ✘), is **not confirmed** when that interval holds 0, and is **reversed** when it lies on the other side; ' +
      `a claim whose ${before} interval holds 0 is listed for information only.`,
    '',
  ].join('\n');
}
