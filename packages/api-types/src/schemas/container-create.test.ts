import { describe, expect, it } from 'vitest';
import { ContainerCreateRequest, ExecCreateRequest, ErrorResponse } from '../index.js';

describe('ContainerCreateRequest', () => {
  it('accepts the nulls testcontainers sends and keeps unknown fields', () => {
    const body = {
      Image: 'redis:7',
      Cmd: null,
      Entrypoint: null,
      Env: null,
      ExposedPorts: { '6379/tcp': {} },
      Labels: { 'org.testcontainers': 'true' },
      SomethingNew: 42,
      HostConfig: {
        PortBindings: { '6379/tcp': [{ HostIp: '', HostPort: '' }] },
        Binds: null,
        RestartPolicy: null,
        Dns: null,
        LogConfig: { Type: null, Config: null },
      },
      NetworkingConfig: { EndpointsConfig: { bridge: { IPAMConfig: null, Aliases: null } } },
    };
    const parsed = ContainerCreateRequest.parse(body);
    expect(parsed.Image).toBe('redis:7');
    expect(parsed.Cmd).toBeNull();
    expect(parsed.HostConfig?.PortBindings?.['6379/tcp']?.[0]?.HostPort).toBe('');
    expect((parsed as Record<string, unknown>)['SomethingNew']).toBe(42);
  });

  it('accepts v1.19 shapes: string Cmd, legacy resources in Config, LxcConf', () => {
    const parsed = ContainerCreateRequest.parse({
      Image: 'busybox',
      Cmd: 'echo hi',
      Entrypoint: '',
      Memory: 0,
      MemorySwap: 0,
      CpuShares: 512,
      Cpuset: '0,1',
      Volumes: { '/tmp': {} },
      HostConfig: { LxcConf: [], Dns: '8.8.8.8', RestartPolicy: { Name: 'always', MaximumRetryCount: 0 } },
    });
    expect(parsed.Cmd).toBe('echo hi');
    expect(parsed.HostConfig?.Dns).toBe('8.8.8.8');
    expect(parsed.CpuShares).toBe(512);
  });

  it('rejects values of the wrong type', () => {
    expect(ContainerCreateRequest.safeParse({ Image: 5 }).success).toBe(false);
    expect(ContainerCreateRequest.safeParse({ HostConfig: { Memory: 'lots' } }).success).toBe(false);
    expect(ExecCreateRequest.safeParse({ Cmd: ['ls'], Tty: 'yes' }).success).toBe(false);
  });

  it('ErrorResponse is {message}', () => {
    expect(ErrorResponse.parse({ message: 'x' })).toEqual({ message: 'x' });
    expect(ErrorResponse.safeParse({}).success).toBe(false);
  });
});

describe('a body the docker CLI 28 sent', () => {
  it('parses, keeping every field', async () => {
    const { readFileSync } = await import('node:fs');
    const raw = JSON.parse(readFileSync(new URL('./fixtures/docker-cli-28-create.json', import.meta.url), 'utf8'));
    const parsed = ContainerCreateRequest.parse(raw);
    expect(parsed.Entrypoint).toEqual(['']);
    expect(parsed.HostConfig?.RestartPolicy).toEqual({ Name: 'on-failure', MaximumRetryCount: 3 });
    expect(parsed.HostConfig?.MemorySwappiness).toBe(-1);
    expect(parsed.NetworkingConfig?.EndpointsConfig?.['default']?.IPAMConfig).toBeNull();
    // Unknown fields (GwPriority is newer than v1.44) are kept, not rejected.
    expect((parsed.NetworkingConfig?.EndpointsConfig?.['default'] as Record<string, unknown>)['GwPriority']).toBe(0);
  });
});
