// Engine API calls over a daemon's unix socket, for the suites that drive daemons directly rather
// than through a CLI: the same requests go to berth and dockerd.
import { Agent, request } from 'node:http';

export const socketOf = (host) => host.replace(/^unix:\/\//, '');

// A daemon that stops answering (dockerd once left 41 `rm -f` calls hanging after its shims died)
// fails the suite with this message instead of hanging the whole run.
const ANSWER_WITHIN_MS = 120_000;

/** Sends one request; resolves to the parsed JSON body (or null), rejects on a 4xx/5xx or no answer. */
export function api(socketPath, method, path, body, agent) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers = payload ? { 'Content-Type': 'application/json', 'Content-Length': payload.length } : {};
    const req = request({ socketPath, method, path, headers, agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        if (res.statusCode >= 400) reject(new Error(`${method} ${path}: ${res.statusCode} ${text.trim()}`));
        else resolve(text && res.headers['content-type']?.includes('json') ? JSON.parse(text) : null);
      });
    });
    req.on('error', reject);
    req.setTimeout(ANSWER_WITHIN_MS, () => req.destroy(new Error(`${method} ${path}: no answer in ${ANSWER_WITHIN_MS / 1000} s`)));
    req.end(payload);
  });
}

/** Creates and starts a container running `cmd` without a network; resolves to its ID. */
export async function runDetached(socketPath, image, cmd) {
  const { Id } = await api(socketPath, 'POST', '/containers/create', { Image: image, Cmd: cmd, HostConfig: { NetworkMode: 'none' } });
  await api(socketPath, 'POST', `/containers/${Id}/start`);
  return Id;
}

export const removeForce = (socketPath, id) => api(socketPath, 'DELETE', `/containers/${id}?force=1&v=1`);

/** Runs `fn(i)` for i < n with at most `limit` in flight. */
export async function pool(n, limit, fn) {
  let next = 0;
  const results = [];
  await Promise.all(
    Array.from({ length: Math.min(n, limit) }, async () => {
      while (next < n) {
        const i = next++;
        results[i] = await fn(i);
      }
    }),
  );
  return results;
}

/**
 * Requests per second of GET `path` with `clients` concurrent keep-alive clients. Bodies are read
 * and dropped, not parsed: the client shares the machine with the daemon.
 */
export async function throughput(socketPath, path, { clients = 16, seconds = 3, warmup = 1 } = {}) {
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  let count = 0;
  // The first second is not counted: connections are opened and the daemon's code warms up.
  const from = Date.now() + warmup * 1000;
  const until = from + seconds * 1000;
  const one = () =>
    new Promise((resolve, reject) => {
      const req = request({ socketPath, path, agent }, (res) => {
        if (res.statusCode !== 200) reject(new Error(`GET ${path}: ${res.statusCode}`));
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
      req.end();
    });
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (Date.now() < until) {
        await one();
        if (Date.now() > from) count++;
      }
    }),
  );
  agent.destroy();
  return count / seconds;
}
