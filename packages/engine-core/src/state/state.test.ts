import { ContainerState, NotModifiedError, ConflictError } from '@berth/api-types';
import { describe, expect, it } from 'vitest';
import { State } from './index.js';

const ID = 'c'.repeat(64);
const T0 = 1_436_842_842_551_698_460n;
const T1 = T0 + 5_000_000_000n;

describe('State', () => {
  it('starts as created with zero times', () => {
    const s = new State(ID);
    expect(s.toJSON()).toEqual({
      Status: 'created',
      Running: false,
      Paused: false,
      Restarting: false,
      OOMKilled: false,
      Dead: false,
      Pid: 0,
      ExitCode: 0,
      Error: '',
      StartedAt: '0001-01-01T00:00:00Z',
      FinishedAt: '0001-01-01T00:00:00Z',
    });
    expect(ContainerState.parse(s.toJSON())).toEqual(s.toJSON());
  });

  it('runs, pauses, unpauses and exits', () => {
    const s = new State(ID);
    s.setRunning(1234, T0);
    expect(s.status).toBe('running');
    expect(s.toJSON().StartedAt).toBe('2015-07-14T03:00:42.55169846Z');
    s.setPaused();
    expect(s.status).toBe('paused');
    expect(() => s.setPaused()).toThrow(`Container ${ID} is already paused`);
    expect(() => s.assertCanStart()).toThrow('cannot start a paused container, try unpause instead');
    s.setUnpaused();
    expect(() => s.setUnpaused()).toThrow(`Container ${ID} is not paused`);
    expect(() => s.assertCanStart()).toThrow(NotModifiedError);
    s.setStopped({ exitCode: 137, oomKilled: true }, T1);
    expect(s.toJSON()).toMatchObject({
      Status: 'exited',
      Running: false,
      Pid: 0,
      ExitCode: 137,
      OOMKilled: true,
      FinishedAt: '2015-07-14T03:00:47.55169846Z',
    });
    expect(() => s.assertCanStop()).toThrow('Container is already stopped');
    expect(() => s.setPaused()).toThrow(`Container ${ID} is not running`);
  });

  it('restarting counts as running, and a new run clears exit code and error', () => {
    const s = new State(ID);
    s.setRunning(10, T0);
    s.setRestarting({ exitCode: 1 }, T1);
    expect(s.status).toBe('restarting');
    expect(s.toJSON()).toMatchObject({ Running: true, Restarting: true, Pid: 0, ExitCode: 1 });
    expect(() => s.setPaused()).toThrow(`Container ${ID} is restarting, wait until the container is running`);
    s.setStopped({ exitCode: 137, oomKilled: true }, T1);
    s.setRunning(11, T1 + 1n);
    expect(s.toJSON()).toMatchObject({ Running: true, Restarting: false, ExitCode: 0, Pid: 11, OOMKilled: false });
  });

  it('records a failed start', () => {
    const s = new State(ID);
    s.setStartFailed('exec: "nope": executable file not found in $PATH', T0, 127);
    expect(s.toJSON()).toMatchObject({ Status: 'created', ExitCode: 127, Error: 'exec: "nope": executable file not found in $PATH' });
  });

  it('guards removal and marks dead', () => {
    const s = new State(ID);
    s.setRemovalInProgress();
    expect(s.status).toBe('removing');
    expect(() => s.setRemovalInProgress()).toThrow(ConflictError);
    expect(() => s.assertCanStart()).toThrow('container is marked for removal and cannot be started');
    s.resetRemovalInProgress();
    s.setDead();
    expect(s.status).toBe('dead');
  });

  it('wakes waiters by condition', async () => {
    const s = new State(ID);
    await expect(s.wait('not-running')).resolves.toEqual({ StatusCode: 0 });
    s.setRunning(5, T0);
    const notRunning = s.wait('not-running');
    const nextExit = s.wait('next-exit');
    const removed = s.wait('removed');
    let removedDone = false;
    void removed.then(() => (removedDone = true));
    s.setRestarting({ exitCode: 2 }, T1);
    await expect(nextExit).resolves.toEqual({ StatusCode: 2 });
    s.setStopped({ exitCode: 3, error: 'boom' }, T1);
    await expect(notRunning).resolves.toEqual({ StatusCode: 3, Error: { Message: 'boom' } });
    await Promise.resolve();
    expect(removedDone).toBe(false);
    s.setRemoved();
    await expect(removed).resolves.toMatchObject({ StatusCode: 3 });
  });

  it('round-trips through its record', () => {
    const s = new State(ID);
    s.setRunning(7, T0);
    s.setStopped({ exitCode: 4 }, T1);
    const back = State.fromRecord(ID, JSON.parse(JSON.stringify(s.toRecord())));
    expect(back.toJSON()).toEqual(s.toJSON());
    expect(State.fromRecord(ID, new State(ID).toRecord()).status).toBe('created');
    expect(back.facts()).toMatchObject({ ExitCode: 4, StartedAt: 1_436_842_842_551, FinishedAt: 1_436_842_847_551 });
  });
});
