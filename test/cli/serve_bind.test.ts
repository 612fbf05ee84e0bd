// `mm1 serve` on a port it cannot bind exits non-zero with a message naming the port and
// the fix, before loading the model (it used to print the message and hang).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { test } from 'node:test';

/** Run the CLI; kill it after 60 s (a hang is what this test exists to catch). */
function mm1(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const hang = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('exit', (code) => {
      clearTimeout(hang);
      resolve({ code, stderr });
    });
  });
}

test('a port in use: exit 1, the port and --port named', async () => {
  const holder = createServer();
  await new Promise<void>((r) => holder.listen(0, '127.0.0.1', r));
  const port = (holder.address() as AddressInfo).port;
  try {
    const r = await mm1(['serve', '--model', 'runs/none/model', '--port', String(port)]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`Port ${port} on 127\\.0\\.0\\.1 is already in use.*--port`));
  } finally {
    holder.close();
  }
});

test('a port out of range: refused while parsing flags', async () => {
  const r = await mm1(['serve', '--model', 'runs/none/model', '--port', '70000']);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /--port <n>' argument '70000' is invalid\. Expected a port number from 0 to 65535/);
});

test('an address that is not this machine: exit 1 naming --host', async () => {
  const r = await mm1(['serve', '--model', 'runs/none/model', '--host', '203.0.113.7', '--port', '8080']);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /203\.0\.113\.7 is not an address of this machine; check --host/);
});
