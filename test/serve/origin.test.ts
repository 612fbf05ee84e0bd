// Loopback-only by default, and browsers on other sites are refused: a cross-origin POST
// (even the preflight-free text/plain kind) and a DNS-rebinding request (Host names another
// site) get 403; an origin allowed with --cors is served with CORS headers.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { test } from 'node:test';
import { EchoModel } from './echo_model.js';
import { startTestServer } from './helpers.js';

const body = JSON.stringify({ messages: [{ role: 'user', content: 'hi' }] });

/** A raw request, so that Host can be set as a rebinding page's browser would send it. */
function raw(url: string, headers: Record<string, string>, method = 'POST'): Promise<{ status: number; headers: Record<string, unknown>; json: any }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/v1/chat/completions`, { method, headers }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d)).on('end', () => resolve({ status: res.statusCode!, headers: res.headers, json: text ? JSON.parse(text) : null }));
    });
    req.on('error', reject);
    req.end(method === 'POST' ? body : undefined);
  });
}

test('default: no Origin (curl, SDKs) and the own origin pass; other origins and foreign Host headers get 403', async () => {
  const server = await startTestServer({ model: new EchoModel({ stepMs: 0 }) });
  const host = `127.0.0.1:${server.port}`;
  try {
    assert.equal((await raw(server.url, { 'content-type': 'application/json' })).status, 200);
    assert.equal((await raw(server.url, { origin: `http://${host}` })).status, 200, 'the chat page calls with its own origin');
    assert.equal((await raw(server.url, { host: `localhost:${server.port}` })).status, 200);

    const evil = await raw(server.url, { origin: 'http://evil.example', 'content-type': 'text/plain' });
    assert.equal(evil.status, 403);
    assert.equal(evil.json.error.code, 'origin_not_allowed');
    assert.match(evil.json.error.message, /--cors http:\/\/evil\.example/);
    assert.equal(evil.headers['access-control-allow-origin'], undefined);

    const rebound = await raw(server.url, { host: `evil.example:${server.port}` });
    assert.equal(rebound.status, 403);
    assert.equal(rebound.json.error.code, 'host_not_allowed');
    assert.match(rebound.json.error.message, /DNS rebinding/);
  } finally {
    await server.close();
  }
});

test('--cors ORIGIN: that origin is served with CORS headers (preflight too); others are still refused', async () => {
  const server = await startTestServer({ model: new EchoModel({ stepMs: 0 }), corsOrigins: ['http://localhost:5173'] });
  try {
    const ok = await raw(server.url, { origin: 'http://localhost:5173', 'content-type': 'application/json' });
    assert.equal(ok.status, 200);
    assert.equal(ok.headers['access-control-allow-origin'], 'http://localhost:5173');
    const preflight = await raw(server.url, { origin: 'http://localhost:5173', 'access-control-request-method': 'POST' }, 'OPTIONS');
    assert.equal(preflight.status, 204);
    assert.match(String(preflight.headers['access-control-allow-methods']), /POST/);
    assert.equal((await raw(server.url, { origin: 'http://localhost:5174' })).status, 403);
  } finally {
    await server.close();
  }
});

test('a server bound beyond loopback leaves Host alone (its user chose exposure) but still checks Origin', async () => {
  const server = await startTestServer({ model: new EchoModel({ stepMs: 0 }), host: '0.0.0.0' });
  try {
    assert.equal((await raw(`http://127.0.0.1:${server.port}`, { host: `mm1.lan:${server.port}` })).status, 200);
    assert.equal((await raw(`http://127.0.0.1:${server.port}`, { origin: 'http://evil.example' })).status, 403);
  } finally {
    await server.close();
  }
});
