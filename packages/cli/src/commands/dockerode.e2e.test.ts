// End to end, as root: dockerode (a client nobody here wrote) against a real `berth daemon`:
// docker.run with demultiplexed output, exec with a non-hijacked start, list filters, logs
// follow, and Docker's 404 messages.
import { PassThrough } from 'node:stream';
import Docker from 'dockerode';
import { beforeAll, describe, expect, it } from 'vitest';
import { canRunE2E, useTestDaemon } from '../test-support/daemon.js';
import { sink } from '@berth/api-server/test-support';

let docker: Docker;

/** stdout and stderr of a multiplexed response stream, once it ended. */
async function demuxed(stream: NodeJS.ReadableStream): Promise<{ stdout: string; stderr: string }> {
  const out = sink();
  const err = sink();
  docker.modem.demuxStream(stream, out.stream, err.stream);
  await new Promise((resolve) => stream.on('end', resolve));
  return { stdout: out.text(), stderr: err.text() };
}

/** The status code and message dockerode reports for a failed call. */
async function failure(p: Promise<unknown>): Promise<{ statusCode: number; message: string }> {
  try {
    await p;
  } catch (e) {
    const err = e as { statusCode: number; json?: { message?: string } };
    return { statusCode: err.statusCode, message: err.json?.message ?? '' };
  }
  throw new Error('the call succeeded');
}

describe.skipIf(!canRunE2E)('dockerode against berth daemon', { timeout: 90_000 }, () => {
  const daemon = useTestDaemon();
  beforeAll(() => {
    docker = new Docker({ socketPath: daemon().sock });
  });

  it('docker.run demultiplexes stdout and stderr and reports the exit status', async () => {
    const out = sink();
    const err = sink();
    const [result, container] = (await docker.run('busybox', ['sh', '-c', 'echo out; echo err >&2; exit 2'], [out.stream, err.stream], {
      Tty: false,
      name: 'dr-run',
    })) as [{ StatusCode: number }, Docker.Container];
    expect(result.StatusCode).toBe(2);
    expect({ stdout: out.text(), stderr: err.text() }).toEqual({ stdout: 'out\n', stderr: 'err\n' });
    expect((await container.inspect()).State).toMatchObject({ Status: 'exited', ExitCode: 2 });
    await container.remove();
  });

  it('runs an exec with a non-hijacked start: stdin after the body, multiplexed output, exit code', async () => {
    const c = await docker.createContainer({ Image: 'busybox', Cmd: ['sleep', '1000'], name: 'dr-exec' });
    await c.start();
    const exec = await c.exec({ Cmd: ['sh', '-c', 'read l; echo "got:$l"; echo warn >&2; exit 6'], AttachStdin: true, AttachStdout: true, AttachStderr: true });
    const stream = (await exec.start({ hijack: false, stdin: true })) as unknown as NodeJS.ReadWriteStream;
    stream.write('line\n');
    expect(await demuxed(stream)).toEqual({ stdout: 'got:line\n', stderr: 'warn\n' });
    expect(await exec.inspect()).toMatchObject({ Running: false, ExitCode: 6, ContainerID: c.id, ProcessConfig: { entrypoint: 'sh' } });
    // testcontainers' port check: a plain non-hijacked start without stdin.
    const probe = await c.exec({ Cmd: ['nosuchshell'], AttachStdout: true, AttachStderr: true });
    await demuxed((await probe.start({ hijack: false })) as unknown as NodeJS.ReadableStream);
    expect((await probe.inspect()).ExitCode).toBe(127);
    await c.remove({ force: true });
  });

  it('lists with filters: status, name, label, exited, ancestor', async () => {
    const a = await docker.createContainer({ Image: 'busybox', Cmd: ['sleep', '1000'], name: 'dr-a', Labels: { tier: 'front' } });
    await a.start();
    const b = await docker.createContainer({ Image: 'busybox', Cmd: ['sh', '-c', 'exit 3'], name: 'dr-b' });
    await b.start();
    await b.wait();
    const names = async (filters: Record<string, string[]>): Promise<string[]> =>
      (await docker.listContainers({ all: true, filters })).map((c) => c.Names[0] ?? '').sort();
    expect(await names({ status: ['running'] })).toEqual(['/dr-a']);
    expect(await names({ status: ['exited'] })).toEqual(['/dr-b']);
    expect(await names({ exited: ['3'] })).toEqual(['/dr-b']);
    expect(await names({ label: ['tier=front'] })).toEqual(['/dr-a']);
    expect(await names({ name: ['dr-'] })).toEqual(['/dr-a', '/dr-b']);
    expect(await names({ ancestor: ['busybox'] })).toEqual(['/dr-a', '/dr-b']);
    expect((await docker.listContainers()).map((c) => c.Names[0])).toEqual(['/dr-a']);
    await a.remove({ force: true });
    await b.remove();
  });

  it('follows logs until the container exits', async () => {
    const c = await docker.createContainer({ Image: 'busybox', Cmd: ['sh', '-c', 'echo first; sleep 1; echo second >&2; sleep 1; echo third'], name: 'dr-logs' });
    await c.start();
    const stream = (await c.logs({ follow: true, stdout: true, stderr: true })) as unknown as NodeJS.ReadableStream;
    const passed = new PassThrough();
    stream.pipe(passed);
    expect(await demuxed(passed)).toEqual({ stdout: 'first\nthird\n', stderr: 'second\n' });
    await c.remove();
  });

  it('answers 404 with Docker’s messages', async () => {
    expect(await failure(docker.getContainer('nosuch').inspect())).toEqual({ statusCode: 404, message: 'No such container: nosuch' });
    expect(await failure(docker.getContainer('nosuch').start())).toEqual({ statusCode: 404, message: 'No such container: nosuch' });
    expect(await failure(docker.getExec('nosuch').inspect())).toEqual({ statusCode: 404, message: 'No such exec instance: nosuch' });
    // 1.7's wording (today's dockerd adds the default tag: `nosuch:latest`).
    expect(await failure(docker.getImage('nosuch').inspect())).toEqual({ statusCode: 404, message: 'No such image: nosuch' });
  });
});
