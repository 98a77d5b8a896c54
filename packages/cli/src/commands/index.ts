import type { Command } from '../command.js';
import { versionCommand } from './version.js';

/** The command table, by name (docker's `Cmd<Name>` methods). */
export const COMMANDS: ReadonlyMap<string, Command> = new Map([versionCommand].map((c) => [c.name, c]));
