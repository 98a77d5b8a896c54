import { posix } from 'node:path';
import type { ContainerConfig } from '@berth/api-types';
import { InvalidParameterError } from '@berth/api-types';
import { replaceOrAppendEnv } from '../config/index.js';

/** The config fields a `--change` instruction can set. */
export type ChangeableConfig = Pick<ContainerConfig, 'Cmd' | 'Entrypoint' | 'Env' | 'ExposedPorts' | 'Labels' | 'OnBuild' | 'User' | 'Volumes' | 'WorkingDir'>;

/** The book's list of instructions commit and import accept (`-c/--change`). */
const VALID = ['cmd', 'entrypoint', 'env', 'expose', 'label', 'onbuild', 'user', 'volume', 'workdir'];

/**
 * Splits `a=b "c d"=e` into words the way the Dockerfile parser does for ENV and LABEL: spaces
 * separate words unless quoted or escaped; quotes are removed.
 */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let quote: string | null = null;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quote !== null) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"' && i + 1 < text.length) word += text[++i];
      else word += c;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < text.length) {
      word += text[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote !== null) throw new InvalidParameterError(`unexpected end of statement while looking for matching ${quote}`);
  if (inWord) words.push(word);
  return words;
}

/** `KEY=VALUE ...` pairs, or the old `KEY VALUE` form (one pair, the rest is the value). */
function keyValues(instruction: string, rest: string): Array<[string, string]> {
  const words = splitWords(rest);
  if (words.length === 0) throw new InvalidParameterError(`${instruction} requires at least one argument`);
  if (!(words[0] as string).includes('=')) {
    const m = /^\s*(\S+)\s+([\s\S]*)$/.exec(rest);
    if (!m) throw new InvalidParameterError(`${instruction} must have two arguments`);
    return [[m[1] as string, splitWords(m[2] as string).join(' ')]];
  }
  return words.map((w) => {
    const eq = w.indexOf('=');
    if (eq <= 0) throw new InvalidParameterError(`Syntax error - can't find = in ${JSON.stringify(w)}. Must be of the form: name=value`);
    return [w.slice(0, eq), w.slice(eq + 1)];
  });
}

/** The JSON form `["a","b"]`, or null when `rest` is not a JSON array of strings. */
function jsonArray(rest: string): string[] | null {
  if (!rest.trim().startsWith('[')) return null;
  try {
    const v: unknown = JSON.parse(rest);
    return Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : null;
  } catch {
    return null;
  }
}

/** CMD and ENTRYPOINT: exec form as is, shell form through `/bin/sh -c`. */
function command(rest: string): string[] {
  return jsonArray(rest) ?? ['/bin/sh', '-c', rest.trim()];
}

/** EXPOSE's `80`, `53/udp`, `8000-8002/tcp` as ExposedPorts keys. */
function exposedPorts(rest: string): string[] {
  const out: string[] = [];
  for (const word of splitWords(rest)) {
    const [ports = '', proto = 'tcp'] = word.split('/');
    const m = /^(\d+)(?:-(\d+))?$/.exec(ports);
    if (!m) throw new InvalidParameterError(`Invalid containerPort: ${ports}`);
    const first = Number(m[1]);
    const last = m[2] === undefined ? first : Number(m[2]);
    if (last < first) throw new InvalidParameterError(`Invalid range specified for the Port: ${ports}`);
    for (let p = first; p <= last; p++) out.push(`${p}/${proto.toLowerCase()}`);
  }
  return out;
}

/**
 * Docker's `BuildFromConfig`: applies Dockerfile instructions (`ENV DEBUG true`, `CMD ["sh"]`, ...)
 * to an image config, in order. Only the book's nine instructions are allowed.
 */
export function applyChanges<T extends ChangeableConfig>(config: T, changes: readonly string[]): T {
  const out: T = { ...config };
  let cmdSet = false;
  for (const line of changes) {
    const m = /^\s*(\S+)\s*([\s\S]*)$/.exec(line.replace(/\\\r?\n/g, ''));
    if (!m) continue;
    const instruction = (m[1] as string).toLowerCase();
    const rest = (m[2] as string).trim();
    if (!VALID.includes(instruction)) throw new InvalidParameterError(`${instruction} is not a valid change command`);
    switch (instruction) {
      case 'cmd':
        out.Cmd = command(rest);
        cmdSet = true;
        break;
      case 'entrypoint':
        out.Entrypoint = command(rest);
        // An ENTRYPOINT drops the inherited CMD unless this change list set one.
        if (!cmdSet) out.Cmd = null;
        break;
      case 'env':
        out.Env = replaceOrAppendEnv(out.Env ?? [], keyValues('ENV', rest).map(([k, v]) => `${k}=${v}`));
        break;
      case 'label':
        out.Labels = { ...(out.Labels ?? {}), ...Object.fromEntries(keyValues('LABEL', rest)) };
        break;
      case 'expose':
        out.ExposedPorts = { ...(out.ExposedPorts ?? {}), ...Object.fromEntries(exposedPorts(rest).map((p) => [p, {}])) };
        break;
      case 'onbuild': {
        const trigger = (/^\S+/.exec(rest)?.[0] ?? '').toUpperCase();
        if (trigger === 'ONBUILD') throw new InvalidParameterError('Chaining ONBUILD via `ONBUILD ONBUILD` isn\'t allowed');
        if (trigger === 'FROM' || trigger === 'MAINTAINER') throw new InvalidParameterError(`${trigger} isn't allowed as an ONBUILD trigger`);
        out.OnBuild = [...(out.OnBuild ?? []), rest];
        break;
      }
      case 'user':
        out.User = rest;
        break;
      case 'volume': {
        const paths = jsonArray(rest) ?? splitWords(rest);
        if (paths.length === 0) throw new InvalidParameterError('VOLUME specified can not be an empty string');
        out.Volumes = { ...(out.Volumes ?? {}), ...Object.fromEntries(paths.map((p) => [p, {}])) };
        break;
      }
      case 'workdir':
        out.WorkingDir = posix.isAbsolute(rest) ? rest : posix.join(out.WorkingDir || '/', rest);
        break;
    }
  }
  return out;
}
