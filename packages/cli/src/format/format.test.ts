import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ContainerSummary, ImageSummary } from '@berth/api-types';
import { formatEvent } from './events.js';
import { formatImages } from './images.js';
import { formatInfo } from './info.js';
import { formatInspect } from './inspect.js';
import { displayablePorts } from './ports.js';
import { formatPs } from './ps.js';
import { goQuote, localRFC3339NanoFixed, parseRepositoryTag } from './text.js';

const NOW = Date.UTC(2015, 7, 25, 12, 0, 0);
const sec = (ms: number): number => Math.floor(ms / 1000);

function summary(over: Partial<ContainerSummary>): ContainerSummary {
  return {
    Id: '5d35dd929e49558b06505a940026c0eaadd5a454f10f4edb3b3197fcf20f9861',
    Names: ['/pa-registry'],
    Image: 'registry',
    ImageID: 'sha256:70d8f0edf5c9',
    Command: 'docker-registry',
    Created: sec(NOW - 21 * 86400_000),
    Ports: [{ IP: '0.0.0.0', PrivatePort: 5000, PublicPort: 5002, Type: 'tcp' }],
    Labels: {},
    State: 'running',
    Status: 'Up 3 weeks',
    HostConfig: { NetworkMode: 'bridge' },
    NetworkSettings: { Networks: {} },
    Mounts: [],
    ...over,
  };
}

describe('ps', () => {
  const rows = [
    summary({}),
    summary({
      Id: '8546477baf70aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
      Names: ['/my-registry-ui', '/other/ui'],
      Image: 'konradkleine/docker-registry-frontend',
      Command: '/bin/sh -c $START_SCRIPT',
      Ports: [
        { IP: '0.0.0.0', PrivatePort: 80, PublicPort: 8081, Type: 'tcp' },
        { PrivatePort: 443, Type: 'tcp' },
      ],
    }),
  ];

  it('prints the book table: tabwriter 20,1,3 with the NAMES cell padded, quoted command cut at 20 bytes, names without slash', () => {
    expect(formatPs(rows, { quiet: false, noTrunc: false, size: false, now: NOW })).toBe(
      'CONTAINER ID        IMAGE                                   COMMAND                CREATED             STATUS              PORTS                           NAMES               \n' +
        '5d35dd929e49        registry                                "docker-registry"      3 weeks ago         Up 3 weeks          0.0.0.0:5002->5000/tcp          pa-registry         \n' +
        '8546477baf70        konradkleine/docker-registry-frontend   "/bin/sh -c $START_S   3 weeks ago         Up 3 weeks          443/tcp, 0.0.0.0:8081->80/tcp   my-registry-ui      \n',
    );
  });

  it('adds SIZE with -s and full IDs, commands and link names with --no-trunc', () => {
    const out = formatPs([summary({ SizeRw: 0, SizeRootFs: 728_200_000, Names: ['/a', '/b/a'] })], { quiet: false, noTrunc: true, size: true, now: NOW });
    const [header, row] = out.split('\n');
    expect(header).toMatch(/NAMES {15}SIZE$/);
    expect(row).toContain('5d35dd929e49558b06505a940026c0eaadd5a454f10f4edb3b3197fcf20f9861   registry');
    expect(row).toMatch(/a,b\/a +0 B \(virtual 728\.2 MB\)$/);
  });

  it('prints IDs only with -q', () => {
    expect(formatPs(rows, { quiet: true, noTrunc: false, size: false, now: NOW })).toBe('5d35dd929e49\n8546477baf70\n');
  });

  it('renders --format templates, with a header for table formats', () => {
    const withLabels = [summary({ Labels: { 'com.example.node': 'ubuntu' } }), summary({ Id: '01946d9d34d8ffff' })];
    expect(formatPs(withLabels, { quiet: false, noTrunc: false, size: false, now: NOW, format: 'table {{.ID}}\\t{{.Labels}}' })).toBe(
      'CONTAINER ID        LABELS\n5d35dd929e49        com.example.node=ubuntu\n01946d9d34d8        \n',
    );
    expect(formatPs([summary({ Command: '/bin/sh -c #(nop) MAINTAINER x' })], { quiet: false, noTrunc: false, size: false, now: NOW, format: '{{.ID}}: {{.Command}}' })).toBe(
      '5d35dd929e49: /bin/sh -c #(nop) MA\n',
    );
  });
});

describe('ports', () => {
  it('collapses exposed runs first, then mappings by private port', () => {
    expect(
      displayablePorts([
        { IP: '0.0.0.0', PrivatePort: 80, PublicPort: 49157, Type: 'tcp' },
        { PrivatePort: 8002, Type: 'tcp' },
        { PrivatePort: 8000, Type: 'tcp' },
        { PrivatePort: 8001, Type: 'tcp' },
        { IP: '0.0.0.0', PrivatePort: 9000, PublicPort: 9000, Type: 'tcp' },
        { IP: '0.0.0.0', PrivatePort: 443, PublicPort: 49156, Type: 'tcp' },
      ]),
    ).toBe('8000-8002/tcp, 0.0.0.0:9000->9000/tcp, 0.0.0.0:49157->80/tcp, 0.0.0.0:49156->443/tcp');
  });
});

describe('images', () => {
  const img = (over: Partial<ImageSummary>): ImageSummary => ({
    Id: 'sha256:8c2e06607696bd4afb3d03b687e361cc43cf8ec1a4a725bc96e39f05ba97dd55',
    ParentId: '',
    RepoTags: ['busybox:latest'],
    RepoDigests: [],
    Created: sec(NOW - 4 * 30 * 86400_000),
    Size: 2_433_000,
    SharedSize: -1,
    Labels: {},
    Containers: -1,
    ...over,
  });

  it('prints one row per tag with the 1.7 columns, <none> for untagged images', () => {
    const list = [img({ RepoTags: ['newbusybox:latest', '192.168.73.12:5001/busybox:v1'] }), img({ Id: 'sha256:47e39a22c47eaaaa', RepoTags: [], Size: 283_500_000, Created: sec(NOW - 8 * 86400_000) })];
    expect(formatImages(list, { quiet: false, noTrunc: false, now: NOW })).toBe(
      'REPOSITORY                   TAG                 IMAGE ID            CREATED             VIRTUAL SIZE\n' +
        'newbusybox                   latest              8c2e06607696        4 months ago        2.433 MB\n' +
        '192.168.73.12:5001/busybox   v1                  8c2e06607696        4 months ago        2.433 MB\n' +
        '<none>                       <none>              47e39a22c47e        8 days ago          283.5 MB\n',
    );
    expect(formatImages(list, { quiet: true, noTrunc: false, now: NOW })).toBe('8c2e06607696\n8c2e06607696\n47e39a22c47e\n');
  });
});

describe('events', () => {
  let tz: string | undefined;
  beforeEach(() => {
    tz = process.env['TZ'];
    process.env['TZ'] = 'UTC';
  });
  afterEach(() => {
    if (tz === undefined) delete process.env['TZ'];
    else process.env['TZ'] = tz;
  });

  it('prints container events with (from image) and image events without', () => {
    const t = sec(Date.UTC(2015, 7, 18, 1, 13, 44));
    expect(
      formatEvent({ status: 'create', id: '74a862cd919d' + 'a'.repeat(52), from: '192.168.73.12:5001/library/ubuntu-dev', Type: 'container', Action: 'create', time: t }),
    ).toBe('2015-08-18T01:13:44.000000000Z 74a862cd919d: (from 192.168.73.12:5001/library/ubuntu-dev) create\n');
    expect(formatEvent({ status: 'pull', id: '192.168.73.12:5001/mysql:latest', Type: 'image', Action: 'pull', time: t })).toBe(
      '2015-08-18T01:13:44.000000000Z 192.168.73.12:5001/mysql:latest: pull\n',
    );
    expect(formatEvent({ Type: 'network', Action: 'connect', Actor: { ID: 'net1' }, time: t })).toBe('2015-08-18T01:13:44.000000000Z net1: connect\n');
  });

  it('prints times in the local zone with its offset', () => {
    process.env['TZ'] = 'Asia/Shanghai';
    expect(localRFC3339NanoFixed(sec(Date.UTC(2015, 7, 18, 1, 13, 44)))).toBe('2015-08-18T09:13:44.000000000+08:00');
  });
});

describe('inspect', () => {
  it('prints a JSON array indented by 4 with objects separated by "}\\n,{"', () => {
    expect(formatInspect([{ Id: 'a', Args: [], State: { Running: true } }, { Id: 'b' }])).toBe(
      '[\n{\n    "Id": "a",\n    "Args": [],\n    "State": {\n        "Running": true\n    }\n}\n,{\n    "Id": "b"\n}\n]\n',
    );
    expect(formatInspect([])).toBe('[]\n');
  });
});

describe('info', () => {
  it('prints the 1.7 lines, driver status indented, debug fields only in debug mode, warnings apart', () => {
    const { stdout, stderr } = formatInfo({
      Containers: 5,
      Images: 34,
      Driver: 'aufs',
      DriverStatus: [['Root Dir', '/var/lib/docker/aufs'], ['Dirs', '44']],
      LoggingDriver: 'json-file',
      KernelVersion: '4.0.7',
      OperatingSystem: 'Debian GNU/Linux 12',
      NCPU: 1,
      MemTotal: 2_100_000_000,
      Name: 'boot2docker',
      ID: 'ET6I:D32F',
      Debug: false,
      SwapLimit: false,
      MemoryLimit: true,
      Labels: ['a=b'],
    });
    expect(stdout).toBe(
      'Containers: 5\nImages: 34\nStorage Driver: aufs\n Root Dir: /var/lib/docker/aufs\n Dirs: 44\nLogging Driver: json-file\n' +
        'Kernel Version: 4.0.7\nOperating System: Debian GNU/Linux 12\nCPUs: 1\nTotal Memory: 1.956 GiB\nName: boot2docker\nID: ET6I:D32F\nLabels:\n a=b\n',
    );
    expect(stderr).toBe('WARNING: No swap limit support\n');
  });
});

describe('text helpers', () => {
  it('quotes like strconv.Quote and splits repository tags', () => {
    expect(goQuote('a "b"\t\x01')).toBe('"a \\"b\\"\\t\\x01"');
    expect(parseRepositoryTag('localhost:5000/busybox')).toEqual(['localhost:5000/busybox', '']);
    expect(parseRepositoryTag('localhost:5000/busybox:v1')).toEqual(['localhost:5000/busybox', 'v1']);
  });
});
