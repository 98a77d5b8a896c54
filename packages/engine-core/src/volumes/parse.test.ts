import { describe, expect, it } from 'vitest';
import { validateVolumeName } from './names.js';
import { validateLocalOptions } from './local.js';
import { checkSpecialDestination, parseBind, parseMount, parseTmpfs, parseVolumesFrom } from './parse.js';

describe('parseBind (-v)', () => {
  it('tells binds from named and anonymous volumes', () => {
    expect(parseBind('/host/dir/../d:/data:ro,Z')).toMatchObject({ type: 'bind', source: '/host/d', destination: '/data', rw: false, mode: 'ro,Z', propagation: 'rprivate', copyData: false });
    expect(parseBind('/h:/x:rshared')).toMatchObject({ type: 'bind', propagation: 'rshared', rw: true });
    expect(parseBind('cache:/var/cache')).toMatchObject({ type: 'volume', source: 'cache', mode: 'z', rw: true, copyData: true });
    expect(parseBind('cache:/c:nocopy')).toMatchObject({ type: 'volume', copyData: false });
    expect(parseBind('/only/dest')).toMatchObject({ type: 'volume', source: '', destination: '/only/dest' });
  });

  it("refuses what Docker refuses, in Docker's words", () => {
    expect(() => parseBind('a:b:c:d')).toThrow("invalid volume specification: 'a:b:c:d'");
    expect(() => parseBind('/data:rw')).toThrow("invalid volume specification: '/data:rw'");
    expect(() => parseBind('/h:/x:rx')).toThrow('invalid mode: rx');
    expect(() => parseBind('/h:/x:ro,rw')).toThrow('invalid mode: ro,rw');
    expect(() => parseBind('/h:rel')).toThrow(
      `invalid volume specification: '/h:rel': invalid mount config for type "bind": invalid mount path: 'rel' mount path must be absolute`,
    );
    expect(() => parseBind('/h:/')).toThrow(`invalid volume specification: '/h:/': invalid mount config for type "bind": invalid specification: destination can't be '/'`);
    expect(() => parseBind('a/b:/x')).toThrow('"a/b" includes invalid characters for a local volume name');
  });
});

describe('parseMount (--mount)', () => {
  it('reads the three types', () => {
    expect(parseMount({ Type: 'bind', Source: '/tmp', Target: '/t', ReadOnly: true, BindOptions: { Propagation: 'rslave' } })).toMatchObject({
      type: 'bind',
      source: '/tmp',
      rw: false,
      propagation: 'rslave',
    });
    expect(parseMount({ Type: 'volume', Target: '/v', VolumeOptions: { NoCopy: true, Labels: { a: 'b' } } })).toMatchObject({
      type: 'volume',
      source: '',
      copyData: false,
      volumeLabels: { a: 'b' },
    });
    expect(parseMount({ Type: 'tmpfs', Target: '/t', TmpfsOptions: { SizeBytes: 1024, Mode: 0o700 } })).toMatchObject({ type: 'tmpfs', tmpfsData: 'size=1024,mode=700' });
  });

  it('refuses bad configs with moby messages', () => {
    expect(() => parseMount({ Type: 'bind', Source: '/no/such/dir', Target: '/x' })).toThrow(
      'invalid mount config for type "bind": bind source path does not exist: /no/such/dir',
    );
    expect(() => parseMount({ Type: 'bind', Target: '/x' })).toThrow('invalid mount config for type "bind": field Source must not be empty');
    expect(() => parseMount({ Type: 'tmpfs', Source: 'x', Target: '/x' })).toThrow('invalid mount config for type "tmpfs": field Source must not be specified');
    expect(() => parseMount({ Type: 'volume', Target: '' })).toThrow('invalid mount config for type "volume": field Target must not be empty');
    expect(() => parseMount({ Type: 'volume', Target: '/x', TmpfsOptions: {} })).toThrow('field TmpfsOptions must not be specified');
    expect(() => parseMount({ Type: 'npipe', Target: '/x' })).toThrow('invalid mount config for type "npipe": mount type unknown');
  });
});

describe('the rest', () => {
  it('parses --tmpfs and --volumes-from', () => {
    expect(parseTmpfs('/run', 'ro,size=1m')).toMatchObject({ destination: '/run', rw: false, tmpfsData: 'size=1m' });
    expect(parseVolumesFrom('db')).toEqual({ container: 'db' });
    expect(parseVolumesFrom('db:ro')).toEqual({ container: 'db', rw: false });
    expect(() => parseVolumesFrom('db:x')).toThrow('invalid mode: x');
  });

  it('keeps unprivileged mounts out of /proc and /sys', () => {
    expect(() => checkSpecialDestination('/proc/sys', false)).toThrow('"/proc/sys" cannot be mounted because it is inside /proc');
    expect(() => checkSpecialDestination('/sys', false)).toThrow('"/sys" cannot be mounted because it is inside /sys');
    expect(() => checkSpecialDestination('/proc/sys', true)).not.toThrow();
    expect(() => checkSpecialDestination('/procfs', false)).not.toThrow();
  });

  it('validates names and local driver options', () => {
    expect(() => validateVolumeName('a')).toThrow('volume name is too short, names should be at least two alphanumeric characters');
    expect(() => validateVolumeName('_x')).toThrow('"_x" includes invalid characters');
    expect(() => validateVolumeName('ok.name-1_')).not.toThrow();
    expect(() => validateLocalOptions({ foo: 'x' })).toThrow('invalid option: "foo"');
    expect(() => validateLocalOptions({ type: 'tmpfs' })).toThrow('missing required option: "device"');
    expect(() => validateLocalOptions({ o: 'size=1m', type: 'tmpfs' })).toThrow('missing required option: "device"');
    expect(() => validateLocalOptions({ type: 'tmpfs', device: 'tmpfs', o: 'size=1m' })).not.toThrow();
  });
});
