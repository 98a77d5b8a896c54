import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HostConfig } from '@berth/api-types';
import { parseSignal } from './engine.js';
import { hostsFile, resolvConf } from './files.js';
import { lockRoot } from './lock.js';
import { capabilitySets, homeOf, networkMode } from './spec.js';
import { formatCpuTime, formatStime, formatTty, psProcesses } from './top.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'berth-engine-unit-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('ps formatting', () => {
  it('formats STIME as ps does: time today, month and day this year, else the year', () => {
    const now = new Date(2026, 10, 28, 15, 0);
    expect(formatStime(new Date(2026, 10, 28, 9, 5), now)).toBe('09:05');
    expect(formatStime(new Date(2026, 2, 7, 9, 5), now)).toBe('Mar07');
    expect(formatStime(new Date(2024, 2, 7), now)).toBe('2024');
  });
  it('formats TIME as [DD-]HH:MM:SS and TTY as pts/N or ?', () => {
    expect(formatCpuTime(0.4)).toBe('00:00:00');
    expect(formatCpuTime(3723)).toBe('01:02:03');
    expect(formatCpuTime(2 * 86400 + 61)).toBe('2-00:01:01');
    expect(formatTty(0)).toBe('?');
    expect(formatTty((136 << 8) | 3)).toBe('pts/3');
    expect(formatTty((4 << 8) | 1)).toBe('tty1');
  });
});

describe('signals', () => {
  it("parses Docker's forms and refuses others", () => {
    expect(parseSignal('9')).toBe(9);
    expect(parseSignal('KILL')).toBe(9);
    expect(parseSignal('sigterm')).toBe(15);
    expect(parseSignal('SIGHUP')).toBe(1);
    expect(() => parseSignal('SIGNOPE')).toThrow('Invalid signal: SIGNOPE');
    expect(() => parseSignal('0')).toThrow('Invalid signal: 0');
  });
});

describe('network files', () => {
  it('drops loopback nameservers and falls back to public ones', () => {
    const host = join(dir, 'resolv.conf');
    writeFileSync(host, 'search example.com\nnameserver 127.0.0.53\n');
    expect(resolvConf(host, false)).toBe('search example.com\nnameserver 8.8.8.8\nnameserver 8.8.4.4\n');
    expect(resolvConf(host, true)).toBe('search example.com\nnameserver 127.0.0.53\n');
    writeFileSync(host, 'nameserver 10.0.0.2\nnameserver ::1\n');
    expect(resolvConf(host, false)).toBe('nameserver 10.0.0.2\n');
  });
  it('builds resolv.conf from --dns and --dns-search, the host giving what is not set ("." for no search)', () => {
    const host = join(dir, 'resolv.conf');
    writeFileSync(host, 'search example.com\nnameserver 10.0.0.2\noptions ndots:2\n');
    expect(resolvConf(host, false, ['1.1.1.1', '9.9.9.9'])).toBe('search example.com\nnameserver 1.1.1.1\nnameserver 9.9.9.9\n');
    expect(resolvConf(host, false, [], ['a.test', 'b.test'])).toBe('search a.test b.test\nnameserver 10.0.0.2\n');
    expect(resolvConf(host, true, ['1.1.1.1'], ['.'])).toBe('nameserver 1.1.1.1\n');
  });
  it('puts link entries before --add-host ones', () => {
    expect(hostsFile('box', ['db:10.0.0.5'], undefined, ['172.17.0.3\tredis abc db']).split('\n').slice(6, 8)).toEqual(['172.17.0.3\tredis abc db', '10.0.0.5\tdb']);
  });
  it('writes localhost lines and --add-host entries', () => {
    const text = hostsFile('box', ['db:10.0.0.5'], '172.17.0.2');
    expect(text.split('\n')).toEqual([
      '127.0.0.1\tlocalhost',
      '::1\tlocalhost ip6-localhost ip6-loopback',
      'fe00::0\tip6-localnet',
      'ff00::0\tip6-mcastprefix',
      'ff02::1\tip6-allnodes',
      'ff02::2\tip6-allrouters',
      '10.0.0.5\tdb',
      '172.17.0.2\tbox',
      '',
    ]);
  });
});

describe('spec pieces', () => {
  const host = (h: Partial<HostConfig>): HostConfig => ({ CapAdd: null, CapDrop: null, NetworkMode: 'default', ...h }) as HostConfig;
  it('applies --cap-add and --cap-drop to the defaults', () => {
    expect(capabilitySets(host({}))).toBeUndefined();
    const caps = capabilitySets(host({ CapAdd: ['NET_ADMIN'], CapDrop: ['chown', 'CAP_KILL'] }));
    expect(caps?.bounding).toContain('CAP_NET_ADMIN');
    expect(caps?.bounding).not.toContain('CAP_CHOWN');
    expect(caps?.bounding).not.toContain('CAP_KILL');
    expect(caps?.bounding).toHaveLength(13);
    expect(capabilitySets(host({ CapDrop: ['ALL'], CapAdd: ['SETUID'] }))?.effective).toEqual(['CAP_SETUID']);
    expect(() => capabilitySets(host({ CapAdd: ['BOGUS'] }))).toThrow('unknown capability: "CAP_BOGUS"');
  });
  it('reads HOME from the image passwd by name or uid', () => {
    mkdirSync(join(dir, 'etc'));
    writeFileSync(join(dir, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n');
    expect(homeOf(dir, '')).toBe('/root');
    expect(homeOf(dir, 'app')).toBe('/home/app');
    expect(homeOf(dir, '1000:1000')).toBe('/home/app');
    expect(homeOf(dir, 'nobody')).toBe('/');
  });
  it('maps network modes', () => {
    expect(networkMode(host({ NetworkMode: 'host' }))).toBe('host');
    expect(networkMode(host({ NetworkMode: 'none' }))).toBe('none');
    expect(networkMode(host({ NetworkMode: 'default' }))).toBe('private');
    expect(networkMode(host({ NetworkMode: 'container:web' }))).toBe('container');
  });
});

describe('root lock', () => {
  it('refuses a live holder and takes over a dead one', () => {
    const path = join(dir, 'berth.pid');
    const lock = lockRoot(path);
    expect(() => lockRoot(path)).toThrow(`the engine root is in use by process ${process.pid}`);
    lock.release();
    // A pid that cannot be alive: above the kernel's pid_max.
    writeFileSync(path, '4194305\n');
    lockRoot(path).release();
  });
});

describe('top with ps options', () => {
  const output = [
    'USER       PID %CPU COMMAND',
    'root         1  0.0 /sbin/init splash',
    'root       100  0.1 sh -c sleep 30',
    '-            -  0.0 -',
    'root       101  0.0 sleep 30',
    'root       200  0.0 other',
    '-            -  0.0 -',
    '',
  ].join('\n');
  it("keeps the container's lines and their thread lines, the last column taking the rest", () => {
    let args: string[] = [];
    const r = psProcesses([100, 101], ' aux  -L ', (a) => ((args = a), output));
    expect(args).toEqual(['aux', '-L']);
    expect(r.Titles).toEqual(['USER', 'PID', '%CPU', 'COMMAND']);
    expect(r.Processes).toEqual([
      ['root', '100', '0.1', 'sh -c sleep 30'],
      ['-', '-', '0.0', '-'],
      ['root', '101', '0.0', 'sleep 30'],
    ]);
  });
  it('needs a PID column', () => {
    expect(() => psProcesses([1], 'o comm', () => 'COMMAND\nsh\n')).toThrow("Couldn't find PID field in ps output");
  });
});
