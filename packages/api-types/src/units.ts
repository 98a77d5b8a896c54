/**
 * Docker's human-readable units (`pkg/units` of Docker 1.7, which became go-units): durations
 * for `ps`/`images`, sizes with four significant digits, and the size parsers behind `-m`.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** `Less than a second`, `5 seconds`, `About a minute`, `2 hours`, `3 days`, `2 weeks`... for a duration in ms. */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / SECOND);
  if (seconds < 1) return 'Less than a second';
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.trunc(ms / MINUTE);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.trunc(ms / HOUR);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.trunc(hours / 24)} days`;
  if (hours < 24 * 30 * 3) return `${Math.trunc(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24 / 30)} months`;
  return `${Math.trunc(hours / 24 / 365)} years`;
}

const DECIMAL_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'] as const;
const BINARY_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'] as const;

/** Go's `%.4g` for 0 <= x < base: four significant digits, trailing zeros dropped. */
function fourSignificant(x: number): string {
  return String(Number(x.toPrecision(4)));
}

function customSize(size: number, base: number, units: readonly string[]): string {
  let i = 0;
  let x = size;
  while (x >= base && i < units.length - 1) {
    x /= base;
    i++;
  }
  return `${fourSignificant(x)} ${units[i]}`;
}

/** Decimal size as Docker 1.7 prints it: `188.3 MB`, `2.433 MB`, `0 B`. */
export function humanSize(bytes: number): string {
  return customSize(bytes, 1000, DECIMAL_UNITS);
}

/** Binary size: `1 KiB`, `1.5 GiB`. */
export function bytesSize(bytes: number): string {
  return customSize(bytes, 1024, BINARY_UNITS);
}

const SIZE = /^(\d+(?:\.\d+)?)\s*([kKmMgGtTpP])?[iI]?[bB]?$/;

function parseSize(text: string, base: number): number {
  const m = SIZE.exec(text);
  if (!m) throw new Error(`Invalid size: '${text}'`);
  const exponent = m[2] ? 'kmgtp'.indexOf(m[2].toLowerCase()) + 1 : 0;
  return Math.trunc(Number(m[1]) * base ** exponent);
}

/** Parses `512m`, `1g`, `100kb`, `4096` as bytes in powers of 1024 (`-m`, `--memory-swap`). */
export function ramInBytes(text: string): number {
  return parseSize(text, 1024);
}

/** Parses `44kB`, `17MB`, `1.5G` as bytes in powers of 1000. */
export function fromHumanSize(text: string): number {
  return parseSize(text, 1000);
}
