import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { daemonListenAddresses } from './daemon-hosts.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'berth-daemon-hosts-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('daemonListenAddresses', () => {
  it('listens on the default socket when no -H is given', () => {
    expect(daemonListenAddresses({ hosts: [], group: 'berth' })).toEqual([{ kind: 'unix', path: '/run/berth/berth.sock', group: 'berth' }]);
  });

  it('maps every -H, and reads the TLS files for TCP', () => {
    for (const f of ['ca.pem', 'cert.pem', 'key.pem']) writeFileSync(join(dir, f), `PEM ${f}`);
    const tls = { verify: true, caFile: join(dir, 'ca.pem'), certFile: join(dir, 'cert.pem'), keyFile: join(dir, 'key.pem') };
    const out = daemonListenAddresses({ hosts: ['unix:///tmp/x.sock', 'tcp://0.0.0.0'], group: 'docker', tls });
    expect(out[0]).toEqual({ kind: 'unix', path: '/tmp/x.sock', group: 'docker' });
    expect(out[1]).toMatchObject({ kind: 'tcp', host: '0.0.0.0', port: 2376, tls: { verify: true } });
    const t = out[1] as { tls: { cert: Buffer; key: Buffer; ca: Buffer } };
    expect([t.tls.cert.toString(), t.tls.key.toString(), t.tls.ca.toString()]).toEqual(['PEM cert.pem', 'PEM key.pem', 'PEM ca.pem']);
    expect(daemonListenAddresses({ hosts: ['tcp://127.0.0.1:2375'], group: 'berth' })).toEqual([{ kind: 'tcp', host: '127.0.0.1', port: 2375 }]);
  });
});
