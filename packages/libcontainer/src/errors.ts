import { getSystemErrorMap } from 'node:util';

/** A step of the container setup failed: which one, with the errno, as the native side reported it. */
export class ContainerError extends Error {
  constructor(
    message: string,
    readonly step: string,
    /** positive errno, 0 when none */
    readonly errno: number,
    /** errno name, e.g. ENOENT */
    readonly code: string,
    /** the exit code Docker reports for it: 127 command not found, 126 not executable, else 1 */
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'ContainerError';
  }
}

function describe(errno: number): [code: string, text: string] {
  const entry = getSystemErrorMap().get(-errno);
  return entry ? [entry[0], entry[1]] : [`E${errno}`, `errno ${errno}`];
}

/** Builds the error from the monitor's "EXIT\tERRNO\tSTEP" report; `command` names the exec'd file. */
export function containerError(report: string, command: string): ContainerError {
  const [exit = '1', errno = '0', ...rest] = report.replace(/\n$/, '').split('\t');
  const step = rest.join('\t');
  const n = Number(errno);
  const [code, text] = describe(n);
  let message: string;
  // Go's exec.LookPath, as runc reports it: a name is searched in $PATH, a path is stat'ed.
  if (step === 'exec' && n === 2 && command.includes('/')) message = `exec: "${command}": stat ${command}: no such file or directory`;
  else if (step === 'exec' && n === 2) message = `exec: "${command}": executable file not found in $PATH`;
  else if (step === 'exec') message = `exec: "${command}": ${text.toLowerCase()}`;
  else message = n ? `${step}: ${text.toLowerCase()} (${code})` : step;
  return new ContainerError(message, step, n, code, Number(exit));
}
