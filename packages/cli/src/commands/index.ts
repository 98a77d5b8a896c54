import type { Command } from '../command.js';
import { attachCommand } from './attach.js';
import { buildCommand } from './build.js';
import { commitCommand } from './commit.js';
import { cpCommand } from './cp.js';
import { createCommand } from './create.js';
import { daemonCommand } from './daemon.js';
import { diffCommand } from './diff.js';
import { eventsCommand } from './events.js';
import { execCommand } from './exec.js';
import { exportCommand } from './export.js';
import { historyCommand } from './history.js';
import { imagesCommand } from './images.js';
import { importCommand } from './import.js';
import { infoCommand } from './info.js';
import { inspectCommand } from './inspect.js';
import { loadCommand } from './load.js';
import { killCommand, pauseCommand, renameCommand, restartCommand, rmCommand, stopCommand, unpauseCommand, waitCommand } from './lifecycle.js';
import { loginCommand, logoutCommand } from './login.js';
import { logsCommand } from './logs.js';
import { networkCommand } from './network.js';
import { portCommand } from './port.js';
import { psCommand } from './ps.js';
import { pullCommand } from './pull.js';
import { pushCommand } from './push.js';
import { rmiCommand } from './rmi.js';
import { runCommand } from './run.js';
import { searchCommand } from './search.js';
import { saveCommand } from './save.js';
import { startCommand } from './start.js';
import { statsCommand } from './stats.js';
import { tagCommand } from './tag.js';
import { topCommand } from './top.js';
import { updateCommand } from './update.js';
import { versionCommand } from './version.js';
import { volumeCommand } from './volume.js';

/** The command table, by name (docker's `Cmd<Name>` methods). */
export const COMMANDS: ReadonlyMap<string, Command> = new Map(
  [
    attachCommand,
    buildCommand,
    commitCommand,
    cpCommand,
    createCommand,
    daemonCommand,
    diffCommand,
    eventsCommand,
    execCommand,
    exportCommand,
    historyCommand,
    imagesCommand,
    importCommand,
    infoCommand,
    inspectCommand,
    killCommand,
    loginCommand,
    logoutCommand,
    loadCommand,
    logsCommand,
    networkCommand,
    pauseCommand,
    portCommand,
    psCommand,
    pullCommand,
    pushCommand,
    renameCommand,
    restartCommand,
    rmCommand,
    rmiCommand,
    runCommand,
    searchCommand,
    saveCommand,
    startCommand,
    statsCommand,
    stopCommand,
    tagCommand,
    topCommand,
    unpauseCommand,
    updateCommand,
    versionCommand,
    volumeCommand,
    waitCommand,
  ].map((c) => [c.name, c]),
);
