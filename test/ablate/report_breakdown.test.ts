import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runStudy } from '../../src/ablate/run_study.js';
import { mixtureStudy } from '../../src/ablate/studies/mixture.js';
import { syntheticRunner } from './synthetic_runner.js';

test("the report's 'What each claim is made of': a table per claim after the claims, its first row the claim's, no verdicts; study.json holds the same parts", async () => {
  const out = mkdtempSync(join(tmpdir(), 'mm1-breakdown-'));
  const o = await runStudy(mixtureStudy, { scale: 'smoke', outDir: out, runner: syntheticRunner(), salt: 'x' });
  const md = readFileSync(o.files.markdown, 'utf8');
  const json = JSON.parse(readFileSync(o.files.json, 'utf8'));
  const section = md.slice(md.indexOf('## What each claim is made of'), md.indexOf('\n## ', md.indexOf('## What each claim is made of') + 1));
  assert.ok(md.indexOf("## MM1's claims, checked") < md.indexOf('## What each claim is made of'), 'after the claims');
  assert.ok(section.length > 0);
  assert.doesNotMatch(section, /✔|✘|reproduced|inconclusive/, 'no verdict words on the parts');
  assert.equal(json.claims.length, mixtureStudy.claims.length);
  assert.equal(json.claims.filter((c: { breakdown: { problem?: string } }) => !c.breakdown.problem).length, 4, 'the image-task claims have parts');
  for (const c of json.claims) {
    const b = c.breakdown;
    assert.equal(b.claim, c.id);
    if (b.problem) {
      // The synthetic runner's text task has 0-shot only: avg/text is one task at one shot count.
      assert.equal(b.problem, 'it reads one task at one shot count, so it is its only part');
      assert.match(section, new RegExp(`### \`${c.id}\`\n\nNot broken down: ${b.problem}\\.`));
      continue;
    }
    const table = section
      .slice(section.indexOf(`### \`${c.id}\``))
      .split('\n\n')[2]
      .split('\n');
    // Header, rule, the claim's row (its own Δ), then a row per part; a caveat line under it.
    assert.equal(table.length, 3 + b.parts.length, table.join('\n'));
    assert.match(table[2], new RegExp(`^\\| \\*\\*the claim \\(${b.on.replace(/[/]/g, '\\/')}\\)\\*\\* \\| [+−]`));
    assert.ok(b.parts.length >= 2, `${c.id} has parts`);
    for (const p of b.parts) assert.ok(p.ci[0] <= p.delta && p.delta <= p.ci[1], `${c.id} ${p.part}`);
    assert.match(section, new RegExp(`with ${b.parts.length} intervals beside the claim's, some may exclude 0 by chance alone`));
  }
  // captions-zero-shot reads avg/image at 0-shot only: a row per image task and no shot rows.
  const zero = json.claims.find((c: { id: string }) => c.id === 'captions-zero-shot').breakdown;
  assert.ok(zero.parts.every((p: { kind: string }) => p.kind === 'task'));
  const html = readFileSync(o.files.html, 'utf8');
  assert.match(html, /<h2>What each claim is made of<\/h2>/);
  assert.equal((html.match(/<h3><code>/g) ?? []).length, json.claims.length);
});
