import { bytesSize } from '@berth/api-types';

/** The fields of `GET /info` that `info` prints (older daemons add ExecutionDriver, InitSha1, InitPath). */
export interface InfoFields {
  Containers: number;
  Images: number;
  Driver?: string;
  DriverStatus?: string[][] | null;
  ExecutionDriver?: string;
  LoggingDriver?: string;
  KernelVersion?: string;
  OperatingSystem?: string;
  NCPU: number;
  MemTotal: number;
  Name?: string;
  ID?: string;
  Debug?: boolean;
  NFd?: number;
  NGoroutines?: number;
  SystemTime?: string;
  NEventsListener?: number;
  InitSha1?: string;
  InitPath?: string;
  DockerRootDir?: string;
  HttpProxy?: string;
  HttpsProxy?: string;
  NoProxy?: string;
  Labels?: string[] | null;
  MemoryLimit?: boolean;
  SwapLimit?: boolean;
  IPv4Forwarding?: boolean;
}

/** `docker info` as 1.7 prints it; the warnings go to stderr. */
export function formatInfo(i: InfoFields): { stdout: string; stderr: string } {
  const lines = [`Containers: ${i.Containers}`, `Images: ${i.Images}`];
  const optional = (label: string, value: string | undefined): void => {
    if (value) lines.push(`${label}: ${value}`);
  };
  optional('Storage Driver', i.Driver);
  if (i.Driver) for (const [k, v] of i.DriverStatus ?? []) lines.push(` ${k}: ${v}`);
  optional('Execution Driver', i.ExecutionDriver);
  optional('Logging Driver', i.LoggingDriver);
  optional('Kernel Version', i.KernelVersion);
  optional('Operating System', i.OperatingSystem);
  lines.push(`CPUs: ${i.NCPU}`, `Total Memory: ${bytesSize(i.MemTotal)}`);
  optional('Name', i.Name);
  optional('ID', i.ID);
  if (i.Debug) {
    lines.push(
      'Debug mode (server): true',
      `File Descriptors: ${i.NFd ?? 0}`,
      `Goroutines: ${i.NGoroutines ?? 0}`,
      `System Time: ${i.SystemTime ?? ''}`,
      `EventsListeners: ${i.NEventsListener ?? 0}`,
      `Init SHA1: ${i.InitSha1 ?? ''}`,
      `Init Path: ${i.InitPath ?? ''}`,
      `Docker Root Dir: ${i.DockerRootDir ?? ''}`,
    );
  }
  optional('Http Proxy', i.HttpProxy);
  optional('Https Proxy', i.HttpsProxy);
  optional('No Proxy', i.NoProxy);
  if (i.Labels && i.Labels.length > 0) lines.push('Labels:', ...i.Labels.map((l) => ` ${l}`));
  const warnings: string[] = [];
  if (i.MemoryLimit === false) warnings.push('WARNING: No memory limit support');
  if (i.SwapLimit === false) warnings.push('WARNING: No swap limit support');
  if (i.IPv4Forwarding === false) warnings.push('WARNING: IPv4 forwarding is disabled.');
  return { stdout: `${lines.join('\n')}\n`, stderr: warnings.map((w) => `${w}\n`).join('') };
}
