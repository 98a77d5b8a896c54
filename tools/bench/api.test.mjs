import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, pool, throughput } from './api.mjs';

describe('bench api helpers', () => {
  let dir;
  let server;
  let sock;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'berth-bench-api-'));
    sock = join(dir, 's.sock');
    server = createServer((req, res) => {
      if (req.url === '/missing') {
        res.writeHead(404, { 'Content-Type': 'application/json' }).end('{"message":"No such container: x"}');
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ method: req.method, url: req.url }));
    });
    await new Promise((r) => server.listen(sock, r));
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends requests over a unix socket and rejects 4xx with the body', async () => {
    expect(await api(sock, 'POST', '/containers/create', { Image: 'x' })).toEqual({ method: 'POST', url: '/containers/create' });
    await expect(api(sock, 'GET', '/missing')).rejects.toThrow('GET /missing: 404 {"message":"No such container: x"}');
  });

  it('runs a pool with at most `limit` in flight and keeps the results in order', async () => {
    let inFlight = 0;
    let most = 0;
    const results = await pool(10, 3, async (i) => {
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      return i * 2;
    });
    expect(results).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
    expect(most).toBe(3);
  });

  it('counts requests per second', async () => {
    const rate = await throughput(sock, '/_ping', { clients: 4, seconds: 0.5, warmup: 0.1 });
    expect(rate).toBeGreaterThan(10);
  });
});
