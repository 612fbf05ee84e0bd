// `mm1 ablate compare EARLIER LATER [--out FILE.md]`: a study rerun on fresh seeds against its
// earlier report, claim by claim, by issue #11's rule (src/ablate/replication.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { compareStudies, overlapWarning, readReplicationStudy, replicationMarkdown } from '../../ablate/replication.js';

export const COMPARE_HELP = `
Fresh seeds (mm1 ablate compare EARLIER LATER):
  mm1 ablate encoder --seeds 3 --first-seed 3 --out runs/ablate-s3/encoder   # the same study on seeds 3–5
  mm1 ablate compare runs/ablate/encoder runs/ablate-s3/encoder --out encoder-replication.md
  Each argument is a report's --out directory or its study.json. Prints one Markdown row per claim
  (earlier ✔/✘/? Δ [95% CI], later, the reading) and the two seed stds. A claim whose earlier
  interval excluded 0 holds when the later one lies on the same side of 0, is not confirmed when it
  holds 0, and is reversed when it lies on the other side; claims whose earlier interval held 0 are
  listed for information. Refuses two different studies, scales or eval seeds (the rule needs the
  same items), and reports with different claims; warns when the reports share seeds.
`;

export function runCompare(args: readonly string[], out: string | undefined): void {
  if (args.length !== 2)
    throw new Error(
      `mm1 ablate compare takes two reports, the earlier and the later, got ${args.length}${args.length ? `: ${args.join(' ')}` : ''}; ` +
        'e.g. mm1 ablate compare runs/ablate/encoder runs/ablate-s3/encoder',
    );
  const [earlier, later] = args.map(readReplicationStudy);
  let replication;
  try {
    replication = compareStudies(earlier, later);
  } catch (err) {
    throw new Error(`mm1 ablate compare ${args.join(' ')}: ${(err as Error).message}`);
  }
  const warning = overlapWarning(replication);
  if (warning) process.stderr.write(`warning: ${warning}\n`);
  const markdown = replicationMarkdown(replication);
  if (!out) {
    process.stdout.write(markdown);
    return;
  }
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, markdown);
  process.stderr.write(`wrote ${out}\n`);
}
