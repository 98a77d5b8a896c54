// HEALTHCHECK: `NONE`, or `CMD` (exec or shell form) with --interval/--timeout/--start-period/
// --start-interval (Go durations) and --retries, into the config's Healthcheck.
import { parseFlags, type Instruction } from '@berth/dockerfile-parser';
import { BuildError } from './copy.js';

export interface HealthConfig {
  Test: string[];
  Interval?: number;
  Timeout?: number;
  StartPeriod?: number;
  StartInterval?: number;
  Retries?: number;
}

const UNIT_NS: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** Go's time.ParseDuration, in nanoseconds. */
export function parseGoDuration(text: string): number {
  if (text === '0') return 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let at = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    total += Number(m[1]) * UNIT_NS[m[2]!]!;
    at = re.lastIndex;
  }
  if (at !== text.length || text === '') throw new BuildError(`time: invalid duration "${text}"`);
  return Math.round(total);
}

/** The Healthcheck a HEALTHCHECK instruction sets (the shell form as `CMD-SHELL`). */
export function healthConfig(inst: Instruction): HealthConfig {
  const [kind = '', ...rest] = inst.args;
  const type = kind.toUpperCase();
  if (type === 'NONE') {
    if (rest.length > 0 || inst.flags.length > 0) throw new BuildError('HEALTHCHECK NONE takes no arguments');
    return { Test: ['NONE'] };
  }
  if (type !== 'CMD') throw new BuildError(`Unknown type "${type}" in HEALTHCHECK (try CMD)`);
  const flags = parseFlags(inst, { interval: 'string', timeout: 'string', 'start-period': 'string', 'start-interval': 'string', retries: 'string' });
  const hc: HealthConfig = { Test: inst.json ? ['CMD', ...rest] : ['CMD-SHELL', rest.join(' ')] };
  const durations = [
    ['interval', 'Interval'],
    ['timeout', 'Timeout'],
    ['start-period', 'StartPeriod'],
    ['start-interval', 'StartInterval'],
  ] as const;
  for (const [flag, field] of durations) {
    const raw = flags[flag];
    if (raw === undefined) continue;
    const ns = parseGoDuration(raw);
    if (ns !== 0 && ns < 1e6) throw new BuildError(`Interval "${flag}" cannot be less than 1ms`);
    hc[field] = ns;
  }
  if (flags.retries !== undefined) {
    const n = Number(flags.retries);
    if (!Number.isInteger(n)) throw new BuildError(`strconv.ParseInt: parsing "${flags.retries}": invalid syntax`);
    if (n < 0) throw new BuildError(`--retries cannot be negative (${n})`);
    hc.Retries = n;
  }
  return hc;
}
