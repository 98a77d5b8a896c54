import { execFileSync } from 'node:child_process';
import { createReadStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { getXattr, setXattr } from '@berth/libcontainer';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type Db } from './db.js';
import { mountsUnder, unmountQuiet } from './drivers/mounts.js';
import { selectDriver } from './drivers/select.js';
import { LayerStore } from './layers.js';

// Bytes that are not UTF-8, with the separators of a PAX record among them.
const BINARY = Buffer.from([0x00, 0xff, 0x80, 0xc3, 0x28, 0x0a, 0x3d, 0x20, 0xfe, 0x01]);
const CAP = 'security.capability';

/** Gives `file` cap_net_raw+ep and a binary user xattr; returns both values as the kernel has them. */
function decorate(file: string, userName: string): Map<string, Buffer> {
  execFileSync('setcap', ['cap_net_raw+ep', file]);
  setXattr(file, userName, BINARY);
  const cap = getXattr(file, CAP);
  if (cap === null) throw new Error('setcap left no security.capability');
  return new Map([
    [CAP, cap],
    [userName, BINARY],
  ]);
}

function xattrsOf(file: string, names: Iterable<string>): Map<string, Buffer | null> {
  return new Map([...names].map((n) => [n, getXattr(file, n)]));
}

/**
 * The PAX records of each entry of a tar, by entry name: a reading of the format written for this
 * test alone, so that it checks the archive's bytes rather than agreeing with the code under test.
 */
function paxByEntry(archive: Buffer): Map<string, Map<string, Buffer>> {
  const out = new Map<string, Map<string, Buffer>>();
  let pending = new Map<string, Buffer>();
  for (let off = 0; off + 512 <= archive.length; ) {
    const header = archive.subarray(off, off + 512);
    if (header.every((b) => b === 0)) break;
    const size = parseInt(header.toString('latin1', 124, 136).replace(/[\0 ]/g, ''), 8);
    const data = archive.subarray(off + 512, off + 512 + size);
    off += 512 + Math.ceil(size / 512) * 512;
    const flag = String.fromCharCode(header[156] as number);
    if (flag === 'x') {
      for (let rest = data; rest.length > 0; ) {
        const sp = rest.indexOf(' ');
        const len = Number(rest.toString('latin1', 0, sp));
        expect(rest[len - 1]).toBe(0x0a); // the length counts bytes, up to and with the newline
        const record = rest.subarray(sp + 1, len - 1);
        const eq = record.indexOf('=');
        pending.set(record.toString('utf8', 0, eq), Buffer.from(record.subarray(eq + 1)));
        rest = rest.subarray(len);
      }
      continue;
    }
    const name = pending.get('path')?.toString() ?? header.toString('utf8', 0, 100).replace(/\0.*$/s, '');
    out.set(name.replace(/^\.\//, ''), pending);
    pending = new Map();
  }
  return out;
}

describe.each(['overlay2', 'vfs', 'aufs'])('binary xattrs through layers on %s', (driverName) => {
  let base: string;
  const stores: Array<{ store: LayerStore; db: Db; root: string }> = [];

  const openStore = (name: string): LayerStore => {
    const root = join(base, name);
    mkdirSync(root);
    const db = openDb(join(root, 'berth.db'));
    const store = new LayerStore(db, selectDriver(root, driverName), root);
    stores.push({ store, db, root });
    return store;
  };

  beforeEach(() => {
    base = mkdtempSync(join(tmpdir(), 'berth-xattr-'));
  });

  afterEach(() => {
    const left: string[] = [];
    for (const { store, db, root } of stores.splice(0)) {
      store.driver.cleanup();
      for (const m of mountsUnder(root).reverse()) unmountQuiet(m);
      db.close();
      left.push(...mountsUnder(root));
    }
    rmSync(base, { recursive: true, force: true });
    expect(left).toEqual([]);
  });

  it('registers a GNU tar with a file capability and non-UTF-8 values byte for byte', async () => {
    const src = join(base, 'src');
    mkdirSync(join(src, 'bin'), { recursive: true });
    writeFileSync(join(src, 'bin/ping'), 'ping');
    const expected = decorate(join(src, 'bin/ping'), 'user.binary');
    const layerTar = join(base, 'layer.tar');
    execFileSync('tar', ['--format=posix', '--xattrs', '--xattrs-include=*', '-C', src, '-cf', layerTar, 'bin']);
    // The fixture itself holds the exact bytes (GNU tar writes them raw).
    const records = paxByEntry(readFileSync(layerTar)).get('bin/ping');
    expect(records?.get(`SCHILY.xattr.${CAP}`)).toEqual(expected.get(CAP));
    expect(records?.get('SCHILY.xattr.user.binary')).toEqual(BINARY);

    const store = openStore('a');
    const layer = await store.register(createReadStream(layerTar), null);
    const rootfs = store.mountLayer(layer.chainId);
    try {
      expect(xattrsOf(join(rootfs, 'bin/ping'), expected.keys())).toEqual(expected);
    } finally {
      store.putLayer(layer.chainId);
    }
  });

  it('writes them raw into a container diff that GNU tar and a fresh store restore', async () => {
    const store = openStore('a');
    const empty = join(base, 'empty.tar');
    execFileSync('tar', ['-C', base, '-cf', empty, '--files-from=/dev/null']);
    const baseLayer = await store.register(createReadStream(empty), null);
    store.createRW('c1', baseLayer.chainId);
    const merged = store.mountRW('c1');
    let diff: Buffer;
    let expected: Map<string, Buffer>;
    try {
      mkdirSync(join(merged, 'sbin'));
      writeFileSync(join(merged, 'sbin/arping'), 'arping');
      expected = decorate(join(merged, 'sbin/arping'), 'user.raw');
      diff = await buffer(store.diffRW('c1'));
    } finally {
      store.unmountRW('c1');
    }
    const records = paxByEntry(diff).get('sbin/arping');
    expect(records?.get(`SCHILY.xattr.${CAP}`)).toEqual(expected.get(CAP));
    expect(records?.get('SCHILY.xattr.user.raw')).toEqual(BINARY);

    const diffTar = join(base, 'diff.tar');
    writeFileSync(diffTar, diff);
    const out = join(base, 'gnu');
    mkdirSync(out);
    execFileSync('tar', ['--xattrs', '--xattrs-include=*', '-C', out, '-xpf', diffTar]);
    expect(xattrsOf(join(out, 'sbin/arping'), expected.keys())).toEqual(expected);

    const fresh = openStore('b');
    const layer = await fresh.register(Readable.from([diff]), null);
    const rootfs = fresh.mountLayer(layer.chainId);
    try {
      expect(xattrsOf(join(rootfs, 'sbin/arping'), expected.keys())).toEqual(expected);
    } finally {
      fresh.putLayer(layer.chainId);
    }
    // The stored layer is the diff as it was written: its diffID is the diff's own digest.
    expect(await buffer(fresh.tarStream(layer.chainId))).toEqual(diff);
  });
});
