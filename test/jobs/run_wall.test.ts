import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { RUN_WALL_FILE, RunWall } from '../../src/jobs/run_wall.js';

const dir = () => mkdtempSync(join(tmpdir(), 'mm1-run-wall-'));
/** A clock the test moves by hand, in milliseconds. */
const handClock = (start: number) => {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
};

test('a first attempt reports its own time, and records it as it goes', () => {
  const d = dir();
  const c = handClock(1_000_000);
  const wall = new RunWall(d, c.now, 0);
  c.advance(90_000);
  wall.flush();
  assert.deepEqual(JSON.parse(readFileSync(join(d, RUN_WALL_FILE), 'utf8')), { seconds: 90, attempts: 1 });
  c.advance(30_000);
  assert.deepEqual(wall.stop(), { seconds: 120, attempts: 1 });
});

test('a resumed attempt adds its time to what the killed one recorded, not the gap between them', () => {
  const d = dir();
  const c = handClock(0);
  const first = new RunWall(d, c.now, 0);
  c.advance(600_000); // 10 min of work, recorded by the last flush before the kill
  first.flush();
  c.advance(5 * 3_600_000); // the session ends; 5 h pass before the next one resumes the run
  const second = new RunWall(d, c.now, 0);
  c.advance(480_000); // 8 min to finish
  assert.deepEqual(second.stop(), { seconds: 1080, attempts: 2 });
});

test('a wall.json that is not a record names the file and the fix', () => {
  const d = dir();
  writeFileSync(join(d, RUN_WALL_FILE), '{"seconds": -3, "attempts": 1}');
  assert.throws(
    () => new RunWall(d, Date.now, 0),
    (err: Error) => err.message.includes(RUN_WALL_FILE) && err.message.includes('delete it'),
  );
  writeFileSync(join(d, RUN_WALL_FILE), 'not json');
  assert.throws(() => new RunWall(d, Date.now, 0), /not valid JSON.*delete it/);
});
