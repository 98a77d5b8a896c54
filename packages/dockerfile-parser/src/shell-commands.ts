// A rough view of a shell-form RUN line for linting: simple commands split on && || ; |, then on blanks.
// It is not a shell parser; quotes are only stripped from whole words.

export type SimpleCommand = string[];

const SEPARATORS = /&&|\|\||[;|]/;

export function simpleCommands(script: string): SimpleCommand[] {
  return script
    .split(SEPARATORS)
    .map((part) =>
      part
        .trim()
        .split(/\s+/)
        .filter((word) => word !== '')
        .map((word) => word.replace(/^(['"])(.*)\1$/, '$2')),
    )
    .filter((words) => words.length > 0);
}

/** The command word after leading `VAR=value` assignments and `sudo`/`exec`-like wrappers. */
export function commandWords(command: SimpleCommand): SimpleCommand {
  let i = 0;
  while (i < command.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(command[i]!)) i++;
  while (i < command.length && (command[i] === 'sudo' || command[i] === 'exec')) i++;
  return command.slice(i);
}

export interface AptGet {
  subcommand: string;
  options: string[];
  operands: string[];
}

/** `apt-get [options] <subcommand> [operands]`, or undefined when the command is not apt-get. */
export function aptGet(command: SimpleCommand): AptGet | undefined {
  const words = commandWords(command);
  if (words[0] !== 'apt-get' && words[0] !== 'apt') return undefined;
  const rest = words.slice(1);
  const options = rest.filter((w) => w.startsWith('-'));
  const [subcommand = '', ...operands] = rest.filter((w) => !w.startsWith('-'));
  return { subcommand, options, operands };
}
