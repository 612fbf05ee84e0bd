// Binding failures of `mm1 serve`, found before the model loads and worded for people.
import { createServer } from 'node:net';

/** The error for a failed listen(): names the address and what to do. */
export function bindError(host: string, port: number, err: NodeJS.ErrnoException): Error {
  const where = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  if (err.code === 'EADDRINUSE')
    return new Error(`Port ${port} on ${host} is already in use; stop what holds it or pick another with --port (0 = any free port).`);
  if (err.code === 'EACCES')
    return new Error(`Not allowed to listen on ${where} (ports below 1024 need privileges); pick another with --port, e.g. --port 8080.`);
  if (err.code === 'EADDRNOTAVAIL') return new Error(`Cannot listen on ${where}: ${host} is not an address of this machine; check --host (default 127.0.0.1).`);
  if (err.code === 'ERR_SOCKET_BAD_PORT') return new Error(`Port ${port} is not a valid port; use --port with a number from 0 to 65535.`);
  return new Error(`Cannot listen on ${where}: ${err.message}. Check --host and --port.`);
}

/**
 * Resolve if host:port can be bound now (by binding and releasing it), else reject with
 * bindError. A check, not a reservation: the server binds again after the model loads,
 * and that bind reports its own failure the same way.
 */
export function checkPortFree(host: string, port: number): Promise<void> {
  if (port === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (err: NodeJS.ErrnoException) => reject(bindError(host, port, err)));
    try {
      probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve()));
    } catch (err) {
      reject(bindError(host, port, err as NodeJS.ErrnoException));
    }
  });
}
