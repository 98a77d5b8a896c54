import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { ensureDaemon } from './autostart.js';
import { CLI_VERSION } from './build-info.js';
import { EngineClient } from './client/client.js';
import { certPath, parseHost, resolveHost } from './client/host.js';
import type { TlsSettings } from './client/host.js';
import { EXIT_CLI_ERROR, ExitError } from './command.js';
import type { CliIO, CommandContext } from './command.js';
import { COMMANDS } from './commands/index.js';
import { FlagError, FlagSet, HelpRequested } from './flags.js';

/** The daemon's default root; an auto-started daemon logs there. */
const DEFAULT_ROOT = '/var/lib/berth';
const BERTH_BIN = fileURLToPath(new URL('../bin/berth.js', import.meta.url));

function globalFlags(env: NodeJS.ProcessEnv) {
  const fs = new FlagSet('berth');
  const certs = certPath(env);
  return {
    fs,
    debug: fs.bool(['D', '-debug'], false, 'Enable debug mode'),
    hosts: fs.list(['H', '-host'], 'Daemon socket(s) to connect to'),
    help: fs.bool(['h', '-help'], false, 'Print usage'),
    logLevel: fs.string(['l', '-log-level'], 'info', 'Set the logging level'),
    tls: fs.bool(['-tls'], false, 'Use TLS; implied by --tlsverify'),
    tlsVerify: fs.bool(['-tlsverify'], env['DOCKER_TLS_VERIFY'] !== undefined && env['DOCKER_TLS_VERIFY'] !== '', 'Use TLS and verify the remote'),
    tlsCa: fs.string(['-tlscacert'], join(certs, 'ca.pem'), 'Trust certs signed only by this CA'),
    tlsCert: fs.string(['-tlscert'], join(certs, 'cert.pem'), 'Path to TLS certificate file'),
    tlsKey: fs.string(['-tlskey'], join(certs, 'key.pem'), 'Path to TLS key file'),
    version: fs.bool(['v', '-version'], false, 'Print version information and quit'),
  };
}

function mainUsage(fs: FlagSet): string {
  const commands = [...COMMANDS.values()]
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map((c) => `    ${c.name.padEnd(10).slice(0, 10)}${c.summary ?? c.description}\n`)
    .join('');
  return (
    'Usage: berth [OPTIONS] COMMAND [arg...]\n\nA self-sufficient runtime for linux containers.\n\nOptions:\n' +
    `${fs.defaults()}\nCommands:\n${commands}\nRun 'berth COMMAND --help' for more information on a command.\n`
  );
}

/** Runs the berth command line; resolves to the process exit code. */
export async function main(argv: string[], io: CliIO = process): Promise<number> {
  const g = globalFlags(io.env);
  let args: string[];
  try {
    args = g.fs.parse(argv);
  } catch (err) {
    if (err instanceof HelpRequested) {
      io.stdout.write(mainUsage(g.fs));
      return 0;
    }
    if (err instanceof FlagError) {
      io.stderr.write(`${err.message}\nSee 'berth --help'.\n`);
      return EXIT_CLI_ERROR;
    }
    throw err;
  }
  if (g.version.value) {
    io.stdout.write(`berth version ${CLI_VERSION}\n`);
    return 0;
  }
  const [name, ...rest] = args;
  if (name === undefined || g.help.value) {
    io.stdout.write(mainUsage(g.fs));
    return 0;
  }
  const command = COMMANDS.get(name);
  if (!command) {
    io.stderr.write(`berth: '${name}' is not a berth command.\nSee 'berth --help'.\n`);
    return 1;
  }

  let client: EngineClient | undefined;
  const ctx: CommandContext = {
    // process.stdin is a getter that sets up a tty or pipe stream (milliseconds): most commands
    // never read it, so it is looked up only when one does.
    get stdin() {
      return io.stdin;
    },
    stdout: io.stdout,
    stderr: io.stderr,
    env: io.env,
    client: async () => {
      if (client) return client;
      // The client talks to one daemon; only `berth daemon` listens on several.
      if (g.hosts.value.length > 1) throw new Error('Please specify only one -H');
      const resolved = resolveHost(g.hosts.value[0], io.env);
      const useTls = g.tls.value || g.tlsVerify.value;
      const tls: TlsSettings | undefined = useTls
        ? { verify: g.tlsVerify.value, caFile: g.tlsCa.value, certFile: g.tlsCert.value, keyFile: g.tlsKey.value }
        : undefined;
      const endpoint = parseHost(resolved.url, tls);
      if (resolved.source === 'default' && endpoint.kind === 'unix') {
        await ensureDaemon({
          socketPath: endpoint.path,
          command: process.execPath,
          args: [BERTH_BIN, 'daemon'],
          logFile: join(DEFAULT_ROOT, 'berth-daemon.log'),
          notify: (line) => io.stderr.write(`${line}\n`),
        });
      }
      client = new EngineClient(endpoint);
      return client;
    },
  };
  try {
    return await command.run(ctx, rest);
  } catch (err) {
    if (err instanceof ExitError) return err.code;
    io.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  } finally {
    client?.close();
  }
}
