import { describe, expect, it } from 'vitest';
import { parseMountFlag, tmpfsMap } from './mountflags.js';

describe('--mount and --tmpfs', () => {
  it('reads the docker CLI mount syntax', () => {
    expect(parseMountFlag('type=bind,src=/h,dst=/c,readonly,bind-propagation=rslave')).toEqual({
      Type: 'bind',
      Source: '/h',
      Target: '/c',
      ReadOnly: true,
      BindOptions: { Propagation: 'rslave' },
    });
    expect(parseMountFlag('source=v,target=/d,volume-nocopy,volume-label=a=b,volume-opt=type=tmpfs')).toEqual({
      Type: 'volume',
      Source: 'v',
      Target: '/d',
      VolumeOptions: { NoCopy: true, Labels: { a: 'b' }, DriverConfig: { Options: { type: 'tmpfs' } } },
    });
    expect(parseMountFlag('type=tmpfs,target=/t,tmpfs-size=1m,tmpfs-mode=1770,ro=false')).toEqual({
      Type: 'tmpfs',
      Target: '/t',
      ReadOnly: false,
      TmpfsOptions: { SizeBytes: 1 << 20, Mode: 0o1770 },
    });
    expect(tmpfsMap(['/run', '/tmp:size=1m,exec'])).toEqual({ '/run': '', '/tmp': 'size=1m,exec' });
  });

  it("refuses what the docker CLI refuses, in its words", () => {
    expect(() => parseMountFlag('type=bind,src=/h')).toThrow('target is required');
    expect(() => parseMountFlag('type=bind,target=/x,bogus=1')).toThrow("unexpected key 'bogus' in 'bogus=1'");
    expect(() => parseMountFlag('type=bind,target=/x,junk')).toThrow("invalid field 'junk' must be a key=value pair");
    expect(() => parseMountFlag('type=bind,target=/x,ro=maybe')).toThrow('invalid value for ro: maybe');
    expect(() => parseMountFlag('type=tmpfs,target=/x,volume-nocopy')).toThrow("cannot mix 'volume-*' options with mount type 'tmpfs'");
  });
});
