import { join } from 'node:path';
import type { Command } from '../command.js';
import { EXIT_CLI_ERROR, ExitError, commandFlags, parseCommandFlags } from '../command.js';
import { CLI_VERSION, GIT_COMMIT } from '../build-info.js';
import { certPath } from '../client/host.js';
import type { TlsSettings } from '../client/host.js';
import { daemonListenAddresses } from '../daemon-hosts.js';
import { daemonNetworkConfig, defineDaemonNetworkFlags } from './daemon-network.js';
import { remappedRoot } from './daemon-userns.js';

/** The ways a daemon stops: the signals, as a promise (so a test can drive it too). */
function stopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (sig: NodeJS.Signals): void => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(sig);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

/**
 * `berth daemon`: the engine on its root behind the Engine API on each `-H`. SIGINT or SIGTERM
 * close the listeners and release the root; containers keep running and are taken back by
 * the next daemon. The engine and the server are loaded only here, to keep other commands fast.
 */
export const daemonCommand: Command = {
  name: 'daemon',
  signature: '',
  description: 'Enable daemon mode',
  async run(ctx, argv) {
    const fs = commandFlags(this);
    const certs = certPath(ctx.env);
    const hosts = fs.list(['H', '-host'], 'Socket(s) to use in daemon mode');
    const graph = fs.string(['g', '-graph'], '/var/lib/berth', 'Root of the Docker runtime');
    const execRoot = fs.string(['-exec-root'], '/run/berth', 'Root of the Docker execdriver');
    const driver = fs.string(['s', '-storage-driver'], '', 'Storage driver to use');
    const cgroupParent = fs.string(['-cgroup-parent'], 'berth', 'Parent cgroup for all containers');
    const cgroupVersion = fs.string(['-cgroup-version'], '', "cgroup hierarchy for containers, 1 or 2 (default the host's; 2 on a hybrid host is its unified one)");
    const cgroupnsMode = fs.string(['-default-cgroupns-mode'], '', 'Default mode for containers cgroup namespace ("host" | "private") (default "private" on v2, "host" on v1)');
    const debug = fs.bool(['D', '-debug'], false, 'Enable debug mode');
    const group = fs.string(['G', '-group'], 'berth', 'Group for the unix socket');
    const tls = fs.bool(['-tls'], false, 'Use TLS; implied by --tlsverify');
    const tlsVerify = fs.bool(['-tlsverify'], false, 'Use TLS and verify the remote');
    const tlsCa = fs.string(['-tlscacert'], join(certs, 'ca.pem'), 'Trust certs signed only by this CA');
    const tlsCert = fs.string(['-tlscert'], join(certs, 'cert.pem'), 'Path to TLS certificate file');
    const tlsKey = fs.string(['-tlskey'], join(certs, 'key.pem'), 'Path to TLS key file');
    const insecureRegistries = fs.list(['-insecure-registry'], 'Enable insecure registry communication');
    const registryMirrors = fs.list(['-registry-mirror'], 'Preferred Docker registry mirror');
    const defaultRegistry = fs.string(['-default-registry'], 'docker.io', 'Registry for image names without a host');
    const usernsRemap = fs.string(['-userns-remap'], '', 'User/Group setting for user namespaces');
    const net = defineDaemonNetworkFlags(fs);
    parseCommandFlags(ctx, this, fs, argv, { exact: 0 });
    const invalid = (flag: string, value: string, allowed: string) => {
      ctx.stderr.write(`invalid value "${value}" for flag --${flag}: must be ${allowed}\nSee 'berth daemon --help'.\n`);
      return new ExitError(EXIT_CLI_ERROR);
    };
    if (!['', '1', '2'].includes(cgroupVersion.value)) throw invalid('cgroup-version', cgroupVersion.value, '1 or 2');
    if (!['', 'host', 'private'].includes(cgroupnsMode.value)) throw invalid('default-cgroupns-mode', cgroupnsMode.value, 'host or private');

    const tlsSettings: TlsSettings | undefined =
      tls.value || tlsVerify.value
        ? { verify: tlsVerify.value, caFile: tlsCa.value, certFile: tlsCert.value, keyFile: tlsKey.value }
        : undefined;
    const addresses = daemonListenAddresses({ hosts: hosts.value, group: group.value, ...(tlsSettings ? { tls: tlsSettings } : {}) });
    const [{ Engine }, { createApiServer, engineRoutes }] = await Promise.all([import('@berth/engine-core'), import('@berth/api-server')]);
    const log = (line: string): void => {
      ctx.stderr.write(`${new Date().toISOString()} ${line}\n`);
    };
    const { root, userns } = await remappedRoot(usernsRemap.value, graph.value, ctx.env, log);
    const engine = Engine.open({
      root,
      ...(userns ? { userns } : {}),
      runDir: execRoot.value,
      ...(driver.value ? { storageDriver: driver.value } : {}),
      cgroupParent: cgroupParent.value,
      ...(cgroupVersion.value ? { cgroupVersion: cgroupVersion.value === '1' ? 1 : 2 } : {}),
      ...(cgroupnsMode.value ? { defaultCgroupnsMode: cgroupnsMode.value as 'host' | 'private' } : {}),
      logger: log,
      debug: debug.value,
      version: CLI_VERSION,
      registry: { insecureRegistries: insecureRegistries.value, registryMirrors: registryMirrors.value, defaultRegistry: defaultRegistry.value },
      network: daemonNetworkConfig(net),
    });
    const server = createApiServer({
      routes: engineRoutes(engine),
      version: { platformName: 'berth', version: CLI_VERSION, gitCommit: GIT_COMMIT, buildTime: '' },
      log,
    });
    const stopping = stopSignal();
    try {
      for (const address of addresses) log(`API listen on ${await server.listen(address)}`);
      log(`Daemon has completed initialization (root ${root}, storage driver ${engine.graph.driver.name})`);
      log(`Received ${await stopping}, shutting down`);
    } finally {
      await server.close();
      engine.close();
    }
    return 0;
  },
};
