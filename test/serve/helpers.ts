// Shared fixtures for the server tests: solid-colour images as data URLs, a server on an
// ephemeral loopback port, and raw JSON requests.
import sharp from 'sharp';
import { startServer, type RunningServer, type ServerOptions } from '../../src/serve/server.js';

export async function solidPng(rgb: [number, number, number], size = 8): Promise<Buffer> {
  return sharp({ create: { width: size, height: size, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } } })
    .png()
    .toBuffer();
}

export const dataUrl = (png: Buffer, mime = 'image/png'): string => `data:${mime};base64,${png.toString('base64')}`;

export async function startTestServer(opts: ServerOptions): Promise<RunningServer> {
  return startServer({ host: '127.0.0.1', port: 0, ...opts });
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: any }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, json };
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
