import { homedir } from 'node:os';
import { TabWriter } from './tabwriter.js';

/** A flag parse failure: the CLI prints it with `See 'berth <cmd> --help'.` and exits 125. */
export class FlagError extends Error {
  override name = 'FlagError';
}

/** `-h` / `--help` was given: the CLI prints the usage and exits 0. */
export class HelpRequested extends Error {
  override name = 'HelpRequested';
}

/** A parsed flag's value, read after `parse` (Go's pointer returned by `flag.Bool`). */
export interface FlagValue<T> {
  value: T;
  /** Whether the command line set it. */
  set: boolean;
}

type Kind = 'bool' | 'string' | 'int' | 'list';

interface FlagDef {
  /** mflag names: `d` is `-d`, `-detach` is `--detach`, `#name` an accepted but hidden alias. */
  names: string[];
  kind: Kind;
  usage: string;
  defaultText: string;
  /** The default of a string flag, for the `~` shortening of paths under $HOME. */
  stringDefault?: string;
  holder: FlagValue<boolean> | FlagValue<string> | FlagValue<number> | FlagValue<string[]>;
}

/** Go's strconv.ParseBool. */
function parseBool(text: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
  return undefined;
}

/** Go's %q for the plain strings flag defaults are. */
function quote(text: string): string {
  return JSON.stringify(text);
}

/**
 * Docker 1.7's flag parser (pkg/mflag): `-d`, `-d=false`, `--name=x`, `--name x`, combined
 * single-letter flags (`-it`, `-dp 80:80`), repeatable list flags, `--` to end the flags, and
 * parsing that stops at the first positional argument (so `run IMAGE CMD -x` leaves `-x` to CMD).
 */
export class FlagSet {
  private readonly defs: FlagDef[] = [];
  private readonly byName = new Map<string, FlagDef>();
  /** Deprecation warnings the last parse produced (mflag prints them to the error stream). */
  readonly warnings: string[] = [];

  constructor(readonly name: string) {}

  private define<T>(names: string[], kind: Kind, value: T, usage: string, defaultText: string): FlagValue<T> {
    const holder: FlagValue<T> = { value, set: false };
    const def = { names, kind, usage, defaultText, holder } as FlagDef;
    for (const n of names) {
      const key = n.replace(/^#/, '');
      if (this.byName.has(key)) throw new Error(`${this.name} flag redefined: ${key}`);
      this.byName.set(key, def);
    }
    this.defs.push(def);
    return holder;
  }

  bool(names: string[], value: boolean, usage: string): FlagValue<boolean> {
    return this.define(names, 'bool', value, usage, String(value));
  }

  string(names: string[], value: string, usage: string): FlagValue<string> {
    const holder = this.define(names, 'string', value, usage, quote(value));
    (this.defs[this.defs.length - 1] as FlagDef).stringDefault = value;
    return holder;
  }

  int(names: string[], value: number, usage: string): FlagValue<number> {
    return this.define(names, 'int', value, usage, String(value));
  }

  /** A repeatable flag collecting every value (`-e A=1 -e B=2`); shown as `=[]`. */
  list(names: string[], usage: string): FlagValue<string[]> {
    return this.define<string[]>(names, 'list', [], usage, '[]');
  }

  /** Parses `args`; returns the positional arguments. */
  parse(args: readonly string[]): string[] {
    this.warnings.length = 0;
    const rest = [...args];
    while (rest.length > 0) {
      const arg = rest[0] as string;
      if (arg.length < 2 || arg[0] !== '-') break;
      if (arg === '--') {
        rest.shift();
        break;
      }
      rest.shift();
      let name = arg.slice(1);
      let value: string | undefined;
      if (name[0] === '=') throw new FlagError(`bad flag syntax: ${arg}`);
      const eq = name.indexOf('=', 1);
      if (eq > 0) {
        value = name.slice(eq + 1);
        name = name.slice(0, eq);
      }
      const def = this.byName.get(name);
      if (def) {
        this.apply(def, name, value, rest);
        continue;
      }
      if (name === '-help' || name === 'help' || name === 'h') throw new HelpRequested();
      if (name.startsWith('-') || name.length === 1 || value !== undefined) {
        throw new FlagError(`flag provided but not defined: -${name}`);
      }
      // `-it`: every letter must be a flag; a letter taking a value takes the next argument.
      for (const letter of name) {
        const d = this.byName.get(letter);
        if (!d) {
          if (letter === 'h') throw new HelpRequested();
          throw new FlagError(`flag provided but not defined: -${name}`);
        }
        this.apply(d, letter, undefined, rest);
      }
    }
    return rest;
  }

  private apply(def: FlagDef, name: string, value: string | undefined, rest: string[]): void {
    if (def.kind === 'bool') {
      const b = value === undefined ? true : parseBool(value);
      if (b === undefined) {
        throw new FlagError(`invalid boolean value ${quote(value ?? '')} for  -${name}: strconv.ParseBool: parsing ${quote(value ?? '')}: invalid syntax`);
      }
      (def.holder as FlagValue<boolean>).value = b;
    } else {
      let v = value;
      if (v === undefined) {
        if (rest.length === 0) throw new FlagError(`flag needs an argument: -${name}`);
        v = rest.shift() as string;
      }
      if (def.kind === 'int') {
        if (!/^[+-]?\d+$/.test(v)) {
          throw new FlagError(`invalid value ${quote(v)} for flag -${name}: strconv.ParseInt: parsing ${quote(v)}: invalid syntax`);
        }
        (def.holder as FlagValue<number>).value = Number(v);
      } else if (def.kind === 'list') {
        (def.holder as FlagValue<string[]>).value.push(v);
      } else {
        (def.holder as FlagValue<string>).value = v;
      }
    }
    def.holder.set = true;
    if (def.names.includes(`#${name}`)) {
      this.warnings.push(`Warning: '-${name}' is deprecated, it will be removed soon. See usage.`);
    }
  }

  /** The value of the flag called `name` (`d`, `-detach`), if it is defined. */
  lookup(name: string): FlagValue<unknown> | undefined {
    return this.byName.get(name)?.holder;
  }

  /** Whether any flag is shown in the usage (decides `[OPTIONS]` in the usage line). */
  get hasVisibleFlags(): boolean {
    return this.defs.some((d) => d.names.some((n) => !n.startsWith('#')));
  }

  /**
   * mflag's PrintDefaults: flags sorted by first name (case-insensitively), `  -d, --detach=false`
   * then the usage, aligned by a docker tabwriter; defaults under $HOME shown with `~`.
   */
  defaults(home: string = homedir()): string {
    const key = (d: FlagDef): string => (d.names[0] ?? '').replace(/^#/, '').replace(/^-/, '');
    const sorted = [...this.defs].sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      const la = ka.toLowerCase();
      const lb = kb.toLowerCase();
      if (la !== lb) return la < lb ? -1 : 1;
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
    let out = '';
    const w = new TabWriter((s) => (out += s));
    for (const d of sorted) {
      const names = d.names.filter((n) => !n.startsWith('#'));
      if (names.length === 0) continue;
      let value = d.defaultText;
      if (home !== '/' && home !== '' && d.stringDefault?.startsWith(home)) {
        value = quote(`~${d.stringDefault.slice(home.length)}`);
      }
      w.write(`  -${names.join(', -')}=${value}`);
      d.usage.split('\n').forEach((line, i) => w.write(`\t ${i === 0 ? line : `  ${line}`}\n`));
    }
    w.flush();
    return out;
  }
}
