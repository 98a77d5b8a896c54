import { describe, expect, it } from 'vitest';
import { allowedArgs, expansionEnv, nopCmd, sameBuildConfig, setEnv, stageConfig, type StageState } from './state.js';

const state = (env: string[], args: Array<[string, string | undefined]>): StageState => ({
  imageId: 'sha256:x',
  config: { ...stageConfig({}), Env: env },
  cmdSet: false,
  args: new Map(args),
  meta: new Map(),
});

describe('builder state', () => {
  it('starts a stage from the image config with the default PATH when it has none', () => {
    expect(stageConfig({}).Env).toEqual(['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin']);
    expect(stageConfig({ Env: ['PATH=/bin'], Cmd: ['sh'] })).toMatchObject({ Env: ['PATH=/bin'], Cmd: ['sh'] });
  });

  it('gives RUN the declared args with values that no ENV overrides, sorted; ENV wins in expansion', () => {
    const s = state(['A=env'], [['B', 'b'], ['A', 'arg'], ['C', undefined]]);
    expect(allowedArgs(s)).toEqual(['B=b']);
    expect(expansionEnv(s)).toEqual(['B=b', 'A=env']);
  });

  it('replaces env entries in place', () => {
    expect(setEnv(['A=1', 'B=2'], 'A', '3')).toEqual(['A=3', 'B=2']);
    expect(setEnv(null, 'A', '1')).toEqual(['A=1']);
  });

  it("writes metadata steps' cache keys as Docker does", () => {
    expect(nopCmd(stageConfig({}), 'ENV a=b').join(' ')).toBe('/bin/sh -c #(nop)  ENV a=b');
  });

  it("compares configs on moby's cache fields only", () => {
    const a = { ...stageConfig({}), Cmd: ['x'], Labels: { k: 'v' } };
    expect(sameBuildConfig({ ...a, Hostname: 'other', WorkingDir: '/w' }, a)).toBe(true);
    expect(sameBuildConfig({ ...a, Cmd: ['y'] }, a)).toBe(false);
    expect(sameBuildConfig({ ...a, Labels: { k: 'w' } }, a)).toBe(false);
    expect(sameBuildConfig({ ...a, Env: [...(a.Env ?? []), 'X=1'] }, a)).toBe(false);
    expect(sameBuildConfig({ ...a, OpenStdin: true }, a)).toBe(false);
    expect(sameBuildConfig(undefined, a)).toBe(false);
  });
});
