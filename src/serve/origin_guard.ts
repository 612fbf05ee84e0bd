// Who may talk to the server from a web browser. A local model server without an API key
// is reachable by every page the user visits: a cross-origin `text/plain` POST needs no
// CORS preflight, and a DNS-rebinding page (evil.example re-resolving to 127.0.0.1) is
// even same-origin to the browser. Two checks close both doors:
//   - Host: on a loopback bind, the Host header must name a loopback host (a rebound page
//     sends `Host: evil.example`). On other binds the user chose exposure; --api-key guards.
//   - Origin: browsers send it on cross-origin requests (and on every POST); it must be the
//     server's own origin or one allowed with --cors. Clients that are not browsers (curl,
//     SDKs) send no Origin and pass.
// Allowed origins get CORS headers (hono/cors), so a browser app elsewhere can read replies.
import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { ApiError } from './errors.js';
import { SEED_HEADER } from './seed_header.js';

export interface OriginPolicy {
  /** The address the server binds; loopback binds get the Host check. */
  bindHost: string;
  /** Origins allowed to call from a browser, e.g. ['http://localhost:5173']; '*' allows any. */
  corsOrigins: readonly string[];
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

export function isLoopback(host: string): boolean {
  const h = host.toLowerCase();
  return LOOPBACK_NAMES.has(h) || h.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/** 'localhost:8080' -> 'localhost'; '[::1]:8080' -> '[::1]'. */
function hostnameOf(hostHeader: string): string {
  const v6 = /^(\[[^\]]*\])(?::\d+)?$/.exec(hostHeader);
  if (v6) return v6[1];
  return hostHeader.replace(/:\d+$/, '');
}

/** An origin as browsers serialise it: scheme://host[:port], no path; null when unparsable. */
function normaliseOrigin(origin: string): string | null {
  try {
    return new URL(origin).origin;
  } catch {
    return null;
  }
}

export function checkOriginValue(value: string, flag = '--cors'): string {
  if (value === '*') return value;
  const o = normaliseOrigin(value);
  if (o === null || o === 'null' || o !== value.replace(/\/$/, '')) {
    throw new Error(`${flag} ${value}: expected an origin such as http://localhost:5173 (scheme, host and port; no path), or * for any`);
  }
  return o;
}

export function originGuard(p: OriginPolicy): MiddlewareHandler[] {
  const allowAny = p.corsOrigins.includes('*');
  const allowed = new Set(p.corsOrigins);
  const guardHost = isLoopback(p.bindHost);
  const guard: MiddlewareHandler = async (c, next) => {
    const host = c.req.header('host');
    if (guardHost && host !== undefined && !isLoopback(hostnameOf(host))) {
      throw new ApiError(
        403,
        `Host '${host}' is refused: this server listens on ${p.bindHost} and answers only requests addressed to localhost (a guard against DNS rebinding). ` +
          'To serve other hosts, bind them with mm1 serve --host and set --api-key.',
        null,
        'host_not_allowed',
        'permission_error',
      );
    }
    const origin = c.req.header('origin');
    if (origin !== undefined && !allowAny && !allowed.has(origin) && !sameOrigin(origin, host)) {
      throw new ApiError(
        403,
        `Origin '${origin}' is refused: browsers on other sites may not use this server. To allow a web app at that origin, start it with mm1 serve --cors ${origin}.`,
        null,
        'origin_not_allowed',
        'permission_error',
      );
    }
    await next();
  };
  if (p.corsOrigins.length === 0) return [guard];
  return [
    guard,
    cors({
      origin: allowAny ? '*' : [...allowed],
      allowHeaders: ['content-type', 'authorization'],
      allowMethods: ['GET', 'POST', 'OPTIONS'],
      exposeHeaders: [SEED_HEADER],
    }),
  ];
}

/** The page the server itself serves (the chat page) calls back with its own origin. */
function sameOrigin(origin: string, host: string | undefined): boolean {
  const o = normaliseOrigin(origin);
  return o !== null && host !== undefined && (o === `http://${host}` || o === `https://${host}`);
}
