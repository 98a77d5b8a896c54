import { ConflictError, ExecCreateRequest, ExecInspect, NotFoundError } from '@berth/api-types';
import { describe, expect, it } from 'vitest';
import { ExecInstance, ExecStore } from './index.js';

const C = 'c'.repeat(64);
const E1 = 'e'.repeat(64);
const E2 = 'f'.repeat(64);

const exec = (body: Record<string, unknown>, id = E1) => new ExecInstance(id, C, ExecCreateRequest.parse(body));

describe('ExecInstance', () => {
  it('refuses an empty command', () => {
    expect(() => exec({ Cmd: [] })).toThrow('No exec command specified');
    expect(() => exec({ Cmd: null })).toThrow('No exec command specified');
  });

  it('runs the command as given with the container env, cwd and user as defaults', () => {
    const e = exec({ Cmd: ['ls', '-l'], Env: ['A=exec', 'B=1'], Tty: true });
    expect(e.process({ env: ['PATH=/bin', 'A=container'], workingDir: '/srv', user: 'app' })).toEqual({
      path: 'ls',
      args: ['-l'],
      env: ['PATH=/bin', 'A=exec', 'B=1'],
      cwd: '/srv',
      user: 'app',
      tty: true,
      privileged: false,
    });
    const own = exec({ Cmd: 'pwd', WorkingDir: '/tmp', User: 'root', Privileged: true });
    expect(own.process({ env: [], workingDir: '', user: '' })).toMatchObject({ path: 'pwd', cwd: '/tmp', user: 'root', privileged: true });
    expect(own.commandLine).toBe('pwd');
    expect(exec({ Cmd: ['sh', '-c', 'echo hi'] }).commandLine).toBe('sh -c echo hi');
  });

  it('starts once, and inspects as Docker shows it', () => {
    const e = exec({ Cmd: ['sleep', '1'], AttachStdout: true, AttachStderr: true });
    expect(e.toJSON()).toEqual({
      CanRemove: false,
      DetachKeys: '',
      ID: E1,
      Running: false,
      ExitCode: null,
      ProcessConfig: { privileged: false, user: '', tty: false, entrypoint: 'sleep', arguments: ['1'] },
      OpenStdin: false,
      OpenStderr: true,
      OpenStdout: true,
      ContainerID: C,
      Pid: 0,
    });
    e.markStarting();
    e.setRunning(4321);
    expect(() => e.markStarting()).toThrow(`Error: Exec command ${E1} is already running`);
    expect(e.toJSON()).toMatchObject({ Running: true, Pid: 4321 });
    e.setExited(3);
    expect(() => e.markStarting()).toThrow(ConflictError);
    const json = e.toJSON();
    expect(ExecInspect.parse(json)).toEqual(json);
    expect(json).toMatchObject({ Running: false, ExitCode: 3 });
  });
});

describe('ExecStore', () => {
  it('finds by exact ID and lists a container’s instances', () => {
    const store = new ExecStore();
    expect(store.idsOf(C)).toBeNull();
    store.add(exec({ Cmd: ['a'] }, E1));
    store.add(exec({ Cmd: ['b'] }, E2));
    expect(store.get(E1).id).toBe(E1);
    expect(() => store.get('eee')).toThrow('No such exec instance: eee');
    expect(() => store.get('eee')).toThrow(NotFoundError);
    expect(store.idsOf(C)).toEqual([E1, E2]);
    store.deleteContainer(C);
    expect(store.idsOf(C)).toBeNull();
  });
});
