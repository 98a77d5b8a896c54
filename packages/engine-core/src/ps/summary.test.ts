import { Port } from '@berth/api-types';
import { describe, expect, it } from 'vitest';
import { psCommand, summaryPorts } from './index.js';

describe('ps summary', () => {
  it('quotes arguments with spaces', () => {
    expect(psCommand('/bin/sh', ['-c', 'echo hi; sleep 1'])).toBe("/bin/sh -c 'echo hi; sleep 1'");
    expect(psCommand('top', [])).toBe('top');
    expect(psCommand('nginx', ['-g', 'daemon off;'])).toBe("nginx -g 'daemon off;'");
  });

  it('lists exposed and published ports', () => {
    const ports = summaryPorts({
      '80/tcp': [
        { HostIp: '0.0.0.0', HostPort: '8080' },
        { HostIp: '::', HostPort: '8080' },
      ],
      '53/udp': null,
      '443/tcp': [],
    });
    expect(ports).toEqual([
      { IP: '0.0.0.0', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' },
      { IP: '::', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' },
      { PrivatePort: 53, Type: 'udp' },
      { PrivatePort: 443, Type: 'tcp' },
    ]);
    for (const p of ports) expect(Port.parse(p)).toEqual(p);
  });
});
