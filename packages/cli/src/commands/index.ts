import type { Command } from '../command.js';
import { attachCommand } from './attach.js';
import { buildCommand } from './build.js';
import { createCommand } from './create.js';
import { daemonCommand } from './daemon.js';
import { eventsCommand } from './events.js';
import { execCommand } from './exec.js';
import { imagesCommand } from './images.js';
import { importCommand } from './import.js';
import { infoCommand } from './info.js';
import { inspectCommand } from './inspect.js';
import { killCommand, pauseCommand, renameCommand, restartCommand, rmCommand, stopCommand, unpauseCommand, waitCommand } from './lifecycle.js';
import { loginCommand, logoutCommand } from './login.js';
import { logsCommand } from './logs.js';
import { psCommand } from './ps.js';
import { pullCommand } from './pull.js';
import { pushCommand } from './push.js';
import { rmiCommand } from './rmi.js';
import { runCommand } from './run.js';
import { searchCommand } from './search.js';
import { startCommand } from './start.js';
import { statsCommand } from './stats.js';
import { tagCommand } from './tag.js';
import { topCommand } from './top.js';
import { updateCommand } from './update.js';
import { versionCommand } from './version.js';

/** The command table, by name (docker's `Cmd<Name>` methods). */
export const COMMANDS: ReadonlyMap<string, Command> = new Map(
  [
    attachCommand,
    buildCommand,
    createCommand,
    daemonCommand,
    eventsCommand,
    execCommand,
    imagesCommand,
    importCommand,
    infoCommand,
    inspectCommand,
    killCommand,
    loginCommand,
    logoutCommand,
    logsCommand,
    pauseCommand,
    psCommand,
    pullCommand,
    pushCommand,
    renameCommand,
    restartCommand,
    rmCommand,
    rmiCommand,
    runCommand,
    searchCommand,
    startCommand,
    statsCommand,
    stopCommand,
    tagCommand,
    topCommand,
    unpauseCommand,
    updateCommand,
    versionCommand,
    waitCommand,
  ].map((c) => [c.name, c]),
);
