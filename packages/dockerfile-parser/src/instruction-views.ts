// Typed readings of an instruction the builder needs: its flags, and FROM's image, stage name and platform.
// Messages are BuildKit's (instructions/bflag.go, instructions/parse.go).
import type { Instruction } from './ast.js';
import { DockerfileParseError } from './errors.js';
import { suggest } from './suggest.js';

export type FlagKind = 'string' | 'bool' | 'strings';
export type FlagSpec = Readonly<Record<string, FlagKind>>;
export type FlagValues<S extends FlagSpec> = {
  [K in keyof S]?: S[K] extends 'bool' ? boolean : S[K] extends 'strings' ? string[] : string;
};

const fail = (instruction: Instruction, message: string): never => {
  throw new DockerfileParseError(message, instruction.startLine, instruction.endLine);
};

/**
 * Checks an instruction's flags against the ones it accepts, e.g. `{ from: 'string', chown: 'string',
 * link: 'bool' }` for COPY, and returns their values (absent flags are left out).
 */
export function parseFlags<S extends FlagSpec>(instruction: Instruction, spec: S): FlagValues<S> {
  const values: Record<string, string | boolean | string[]> = {};
  for (const flag of instruction.flags) {
    if (flag === '--') break;
    if (!flag.startsWith('--')) fail(instruction, `arg should start with -- : ${flag}`);
    const eq = flag.indexOf('=');
    const flagName = eq < 0 ? flag : flag.slice(0, eq);
    const value = eq < 0 ? '' : flag.slice(eq + 1);
    const name = flagName.slice(2);
    const kind = Object.prototype.hasOwnProperty.call(spec, name) ? spec[name] : undefined;
    if (kind === undefined) {
      const hint = suggest(name, Object.keys(spec), true);
      fail(instruction, `unknown flag: ${flagName}` + (hint === undefined ? '' : ` (did you mean ${hint}?)`));
    }
    if (name in values && kind !== 'strings') fail(instruction, `duplicate flag specified: ${flagName}`);
    if (kind === 'bool') {
      if (eq >= 0 && value === '') fail(instruction, `missing a value on flag: ${flagName}`);
      const lower = value.toLowerCase();
      if (lower !== '' && lower !== 'true' && lower !== 'false') {
        fail(instruction, `expecting boolean value for flag ${flagName}, not: ${value}`);
      }
      values[name] = lower !== 'false';
    } else {
      if (eq < 0) fail(instruction, `missing a value on flag: ${flagName}`);
      values[name] = kind === 'strings' ? [...((values[name] as string[] | undefined) ?? []), value] : value;
    }
  }
  return values as FlagValues<S>;
}

export interface Stage {
  /** The base image reference as written (variables not yet expanded). */
  image: string;
  /** `FROM … AS name`, lower-cased; undefined when unnamed. */
  name?: string;
  /** `--platform=…`. */
  platform?: string;
}

const STAGE_NAME = /^[a-z][a-z0-9-_.]*$/;

/** FROM's image, stage name and platform. */
export function fromStage(instruction: Instruction): Stage {
  if (instruction.keyword !== 'FROM') fail(instruction, `${instruction.keyword} is not FROM`);
  const { args } = instruction;
  let name: string | undefined;
  if (args.length === 3 && args[1]!.toLowerCase() === 'as') {
    name = args[2]!.toLowerCase();
    if (!STAGE_NAME.test(name)) {
      fail(instruction, `invalid name for build stage: "${args[2]}", name can't start with a number or contain symbols`);
    }
  } else if (args.length !== 1) {
    fail(instruction, 'FROM requires either one or three arguments');
  }
  const { platform } = parseFlags(instruction, { platform: 'string' });
  return { image: args[0]!, ...(name === undefined ? {} : { name }), ...(platform === undefined ? {} : { platform }) };
}
