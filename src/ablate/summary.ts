// `mm1 ablate summary DIR...`: every claim of several finished studies in one Markdown table
// (study, claim, Δ, 95% CI, verdict, seeds, report), read from each study's study.json (written
// by report.ts), for docs/results/README.md and README's table. A study without claims (the
// seeds study) contributes its pooled seed spread instead, in a second table.
import { existsSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { z } from 'zod';
import { readJsonFile } from '../schema/read_json_file.js';
import { claimCells, fmt } from './format.js';

export const StudyJsonSchema = z.object({
  study: z.string(),
  scale: z.string(),
  seeds: z.number().int().positive(),
  seedList: z.array(z.number().int()),
  claims: z.array(
    z.object({
      id: z.string(),
      text: z.string(),
      verdict: z.enum(['reproduced', 'not reproduced', 'inconclusive']),
      delta: z.number().optional(),
      ci: z.tuple([z.number(), z.number()]).optional(),
    }),
  ),
  seedStd: z.record(z.string(), z.number()).optional(),
  missing: z.array(z.unknown()).optional(),
});

export type StudyJson = z.infer<typeof StudyJsonSchema>;

export interface StudySummary {
  /** The report beside study.json, as the table links it. */
  report: string;
  study: StudyJson;
}

export const STUDY_JSON_FORMAT = 'the study.json that `mm1 ablate <study>` writes into its --out directory';

/** `path` is a study's --out directory or its study.json: the study.json file, which must exist. */
export function studyJsonPath(path: string): string {
  const file = existsSync(path) && statSync(path).isDirectory() ? join(path, 'study.json') : path;
  if (!existsSync(file))
    throw new Error(
      `${file} does not exist: name a study's --out directory (it holds study.json once the study has run; mm1 ablate <study> --report-only --out DIR --cache CACHE writes one from finished runs)`,
    );
  return file;
}

/** `path` is a study's --out directory or its study.json. */
export function readStudySummary(path: string): StudySummary {
  const file = studyJsonPath(path);
  return { report: join(file, '..', 'report.md'), study: readJsonFile(file, 'study', StudyJsonSchema, STUDY_JSON_FORMAT) };
}

/** "3 (seeds 0–2)", or the list when the seeds are not consecutive. */
function seedsCell(s: StudyJson): string {
  const list = s.seedList;
  const consecutive = list.every((x, i) => i === 0 || x === list[i - 1] + 1);
  if (list.length === 1) return `1 (seed ${list[0]})`;
  return `${s.seeds} (seeds ${consecutive ? `${list[0]}–${list[list.length - 1]}` : list.join(', ')})`;
}

function studyCell(s: StudyJson): string {
  return s.scale === 'default' ? s.study : `${s.study} (${s.scale})`;
}

/**
 * The Markdown: the claims table, then the seed spread of studies without claims, then a note per
 * study whose report was assembled before all its runs finished. Report links are relative to
 * `linksFrom` (the folder of the page the table goes in; default: the working directory).
 */
export function summaryMarkdown(summaries: readonly StudySummary[], linksFrom = '.'): string {
  const link = (s: StudySummary) => `[report](${relative(linksFrom, s.report).split('\\').join('/')})`;
  const out: string[] = [];
  const claimRows = summaries.flatMap((s) =>
    s.study.claims.map((c) => [studyCell(s.study), c.text, ...claimCells(c), seedsCell(s.study), link(s)].join(' | ')),
  );
  if (claimRows.length > 0)
    out.push(
      '| study | claim | Δ | 95% CI | verdict | seeds | report |',
      '| --- | --- | ---: | :---: | --- | --- | --- |',
      ...claimRows.map((r) => `| ${r} |`),
      '',
    );
  const spreadRows = summaries
    .filter((s) => s.study.claims.length === 0 && s.study.seedStd)
    .flatMap((s) =>
      Object.entries(s.study.seedStd!).map(([measure, std]) => `| ${studyCell(s.study)} | \`${measure}\` | ${fmt(std)} | ${seedsCell(s.study)} | ${link(s)} |`),
    );
  if (spreadRows.length > 0) out.push('| study | measure | pooled seed std (points) | seeds | report |', '| --- | --- | ---: | --- | --- |', ...spreadRows, '');
  for (const s of summaries) {
    const n = s.study.missing?.length ?? 0;
    if (n > 0) out.push(`${studyCell(s.study)}: ${n} planned run${n === 1 ? '' : 's'} had not finished; its claims read the finished ones only.`, '');
    if (s.study.claims.length === 0 && !s.study.seedStd) out.push(`${studyCell(s.study)}: no claims and one seed, so nothing to summarise.`, '');
  }
  return out.join('\n');
}
