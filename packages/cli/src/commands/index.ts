import type { Command } from '../command.js';
import { daemonCommand } from './daemon.js';
import { versionCommand } from './version.js';

/** The command table, by name (docker's `Cmd<Name>` methods). */
export const COMMANDS: ReadonlyMap<string, Command> = new Map([daemonCommand, versionCommand].map((c) => [c.name, c]));
