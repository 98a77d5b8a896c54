// A management command (`berth volume`, `berth network`): the sub-command it names, or today's
// docker CLI's (cobra's) answers: help, unknown flags, unknown sub-commands.
import type { Command, CommandContext } from '../command.js';
import { EXIT_CLI_ERROR } from '../command.js';

export interface GroupSpec {
  /** The group's name, e.g. `volume`. */
  name: string;
  /**
   * What follows the name in the group's use line: `COMMAND` for volume, nothing for network
   * (docker's error usage lines differ in just that way).
   */
  signature: string;
  description: string;
  /** The sub-commands, named `<group> <sub>`. */
  commands: readonly Command[];
  /** Other names of sub-commands, e.g. `list` → `ls`. */
  aliases?: Readonly<Record<string, string>>;
}

/** What the group's own flags (only --help) made of its arguments. */
type Parsed = { error: string } | { help: boolean; deprecatedH: boolean; args: string[] };

/** cobra's flag parsing for a command whose only flag is --help (-h deprecated). */
function parseGroupFlags(argv: readonly string[]): Parsed {
  let help = false;
  let deprecatedH = false;
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      args.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const [flag = '', value] = a.slice(2).split(/=(.*)/s);
      if (flag !== 'help') return { error: `unknown flag: --${flag}` };
      help = value === undefined || value === 'true' || value === '1';
    } else if (a.startsWith('-') && a.length > 1) {
      // pflag reads the letters in turn and names what was left at the first it does not know.
      const rest = a.slice(1).replace(/^h+/, '');
      if (rest !== '') return { error: `unknown shorthand flag: '${rest[0]}' in -${rest}` };
      help = true;
      deprecatedH = true;
    } else args.push(a);
  }
  return { help, deprecatedH, args };
}

/** The sub-command `berth <group> <sub>` runs, by its name or an alias. */
export function commandGroup(spec: GroupSpec): Command {
  const byName = new Map(spec.commands.map((c) => [c.name.slice(spec.name.length + 1), c]));
  const useLine = `berth ${spec.name}${spec.signature ? ` ${spec.signature}` : ''}`;
  const help = (): string => {
    const names = [...byName.keys()].sort();
    const width = Math.max(11, ...names.map((n) => n.length)) + 1;
    const list = names.map((n) => `  ${n.padEnd(width)}${byName.get(n)!.description}\n`).join('');
    return `Usage:  berth ${spec.name} COMMAND\n\n${spec.description}\n\nCommands:\n${list}\nRun 'berth ${spec.name} COMMAND --help' for more information on a command.\n`;
  };
  const failure = (ctx: CommandContext, message: string, code: number): number => {
    ctx.stderr.write(`${message}\n\nUsage:  ${useLine}\n\nRun 'berth ${spec.name} --help' for more information\n`);
    return code;
  };
  return {
    name: spec.name,
    signature: spec.signature,
    description: spec.description,
    async run(ctx, argv) {
      const [first = '', ...rest] = argv;
      const sub = byName.get(spec.aliases?.[first] ?? first);
      if (sub) return sub.run(ctx, rest);
      const parsed = parseGroupFlags(argv);
      if ('error' in parsed) return failure(ctx, parsed.error, EXIT_CLI_ERROR);
      if (parsed.help) {
        ctx.stdout.write(`${parsed.deprecatedH ? 'Flag shorthand -h has been deprecated, use --help\n' : ''}${help()}`);
        return 0;
      }
      if (parsed.args.length > 0) return failure(ctx, `berth: unknown command: berth ${spec.name} ${parsed.args[0]}`, 1);
      // No sub-command: the help, on stderr, and success (docker's ShowHelp).
      ctx.stderr.write(help());
      return 0;
    },
  };
}
