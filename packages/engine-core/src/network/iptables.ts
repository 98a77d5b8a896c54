import { execFileSync } from 'node:child_process';
import { SystemError } from '@berth/api-types';

export type Table = 'nat' | 'filter';

/** Runs iptables (waiting for the xtables lock); throws SystemError with its stderr. */
export function iptables(args: readonly string[]): void {
  try {
    execFileSync('iptables', ['-w', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    const stderr = (e as { stderr?: Buffer }).stderr?.toString().trim() ?? (e as Error).message;
    throw new SystemError(`iptables failed: iptables ${args.join(' ')}: ${stderr}`);
  }
}

function succeeds(args: readonly string[]): boolean {
  try {
    execFileSync('iptables', ['-w', ...args], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Appends (or inserts first) a rule unless the chain already has it. */
export function ensureRule(table: Table, chain: string, rule: readonly string[], insert = false): void {
  if (succeeds(['-t', table, '-C', chain, ...rule])) return;
  iptables(['-t', table, insert ? '-I' : '-A', chain, ...rule]);
}

/** Deletes a rule if present (a rule already gone is not an error). */
export function deleteRule(table: Table, chain: string, rule: readonly string[]): void {
  while (succeeds(['-t', table, '-C', chain, ...rule])) iptables(['-t', table, '-D', chain, ...rule]);
}

/** Deletes one copy of a rule; false when there was none (one iptables run instead of a check and a delete). */
export function tryDeleteRule(table: Table, chain: string, rule: readonly string[]): boolean {
  return succeeds(['-t', table, '-D', chain, ...rule]);
}

/** Creates the chain, or empties it when it exists (a daemon start redoes its rules). */
export function resetChain(table: Table, chain: string): void {
  if (!succeeds(['-t', table, '-N', chain])) iptables(['-t', table, '-F', chain]);
}

/** Removes the jumps to a chain, then the chain itself (if it exists). */
export function deleteChain(table: Table, chain: string, jumps: ReadonlyArray<readonly [string, readonly string[]]>): void {
  for (const [from, rule] of jumps) deleteRule(table, from, rule);
  if (succeeds(['-t', table, '-F', chain])) iptables(['-t', table, '-X', chain]);
}
