import { describe, expect, it } from 'vitest';
import { FlagError, FlagSet, HelpRequested } from './flags.js';

function runFlags() {
  const fs = new FlagSet('run');
  return {
    fs,
    detach: fs.bool(['d', '-detach'], false, 'Run container in background and print container ID'),
    interactive: fs.bool(['i', '-interactive'], false, 'Keep STDIN open even if not attached'),
    tty: fs.bool(['t', '-tty'], false, 'Allocate a pseudo-TTY'),
    name: fs.string(['#name', '-name'], '', 'Assign a name to the container'),
    publish: fs.list(['p', '-publish'], "Publish a container's port(s) to the host"),
    env: fs.list(['e', '-env'], 'Set environment variables'),
    cpu: fs.int(['c', '-cpu-shares'], 0, 'CPU shares (relative weight)'),
  };
}

describe('FlagSet (mflag)', () => {
  it('parses booleans bare and with =false', () => {
    const f = runFlags();
    expect(f.fs.parse(['-d', '-i=false', 'busybox'])).toEqual(['busybox']);
    expect(f.detach).toEqual({ value: true, set: true });
    expect(f.interactive).toEqual({ value: false, set: true });
    expect(f.tty).toEqual({ value: false, set: false });
  });

  it('takes values as --name=x and --name x', () => {
    const a = runFlags();
    a.fs.parse(['--name=web', 'img']);
    expect(a.name.value).toBe('web');
    const b = runFlags();
    b.fs.parse(['--name', 'db', 'img']);
    expect(b.name.value).toBe('db');
  });

  it('combines single-letter flags, the last one taking a value', () => {
    const f = runFlags();
    expect(f.fs.parse(['-it', '-dp', '80:80', 'busybox', 'sh'])).toEqual(['busybox', 'sh']);
    expect([f.interactive.value, f.tty.value, f.detach.value]).toEqual([true, true, true]);
    expect(f.publish.value).toEqual(['80:80']);
  });

  it('collects repeated list flags and keeps = inside values', () => {
    const f = runFlags();
    f.fs.parse(['-p', '80:80', '-p', '443:443', '-e=A=1', '--env', 'B=2', 'img']);
    expect(f.publish.value).toEqual(['80:80', '443:443']);
    expect(f.env.value).toEqual(['A=1', 'B=2']);
  });

  it('stops at the first positional and at --', () => {
    const f = runFlags();
    expect(f.fs.parse(['-d', 'busybox', 'ls', '-l', '-d'])).toEqual(['busybox', 'ls', '-l', '-d']);
    const g = runFlags();
    expect(g.fs.parse(['--', '-d', 'x'])).toEqual(['-d', 'x']);
    expect(g.detach.value).toBe(false);
    expect(runFlags().fs.parse(['-', 'x'])).toEqual(['-', 'x']);
  });

  it("reports mflag's errors", () => {
    expect(() => runFlags().fs.parse(['-x'])).toThrow(new FlagError('flag provided but not defined: -x'));
    expect(() => runFlags().fs.parse(['--foo', 'img'])).toThrow(new FlagError('flag provided but not defined: --foo'));
    expect(() => runFlags().fs.parse(['-iz'])).toThrow(new FlagError('flag provided but not defined: -iz'));
    expect(() => runFlags().fs.parse(['--name'])).toThrow(new FlagError('flag needs an argument: --name'));
    expect(() => runFlags().fs.parse(['-c', 'lots'])).toThrow(
      new FlagError('invalid value "lots" for flag -c: strconv.ParseInt: parsing "lots": invalid syntax'),
    );
    expect(() => runFlags().fs.parse(['-d=maybe'])).toThrow(
      new FlagError('invalid boolean value "maybe" for  -d: strconv.ParseBool: parsing "maybe": invalid syntax'),
    );
    expect(() => runFlags().fs.parse(['-=x'])).toThrow(new FlagError('bad flag syntax: -=x'));
  });

  it('asks for help on -h, --help and -help', () => {
    for (const h of ['-h', '--help', '-help']) expect(() => runFlags().fs.parse([h])).toThrow(HelpRequested);
  });

  it('accepts a deprecated single-dash alias with a warning', () => {
    const f = runFlags();
    f.fs.parse(['-name', 'old', 'img']);
    expect(f.name.value).toBe('old');
    expect(f.fs.warnings).toEqual(["Warning: '-name' is deprecated, it will be removed soon. See usage."]);
  });

  it('prints defaults sorted and aligned like PrintDefaults', () => {
    const fs = new FlagSet('docker');
    fs.bool(['d', '-daemon'], false, 'Enable daemon mode');
    fs.bool(['D', '-debug'], false, 'Enable debug mode');
    fs.string(['l', '-log-level'], 'info', 'Set the logging level');
    fs.list(['H', '-host'], 'Daemon socket(s) to connect to');
    fs.string(['-tlscacert'], '/home/u/.docker/ca.pem', 'Trust certs signed only by this CA');
    fs.bool(['#help', '-help'], false, 'Print usage');
    expect(fs.defaults('/home/u')).toBe(
      [
        '  -D, --debug=false                 Enable debug mode',
        '  -d, --daemon=false                Enable daemon mode',
        '  -H, --host=[]                     Daemon socket(s) to connect to',
        '  --help=false                      Print usage',
        '  -l, --log-level="info"            Set the logging level',
        '  --tlscacert="~/.docker/ca.pem"    Trust certs signed only by this CA',
        '',
      ].join('\n'),
    );
    expect(fs.hasVisibleFlags).toBe(true);
  });
});
