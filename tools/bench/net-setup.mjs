// Run by suites/network.mjs inside a network namespace of its own: times the engine's network
// setup of one container (address, ports, veth pair into the container's namespace, address
// and route there) and its release, over processes in fresh network namespaces. Prints JSON.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [repo, runsText] = process.argv.slice(2);
const { NetworkManager, NetworkStore, openEngineDb } = await import(pathToFileURL(join(repo, 'packages/engine-core/dist/index.js')).href);
const dir = mkdtempSync(join(tmpdir(), 'berth-net-setup-'));
const db = openEngineDb(join(dir, 'berth.db'));
const config = { bridge: 'berth0', ipMasq: true, iptables: true, ipForward: true, dns: [], dnsSearch: [] };
const manager = NetworkManager.open(config, 'bench', new NetworkStore(db), () => {});
const user = manager.create({ Name: 'benchnet' });
const ms = (t) => Number(process.hrtime.bigint() - t) / 1e6;

/** A process in a new network namespace, standing for a container. */
function sandbox() {
  const child = spawn('unshare', ['--net', 'sleep', '60'], { stdio: 'ignore' });
  return new Promise((resolve) => setTimeout(() => resolve(child), 30));
}

const hostConfig = (ports) => ({ NetworkMode: 'default', PortBindings: ports, PublishAllPorts: false });
const cases = [
  { name: 'default bridge', networkId: manager.get('bridge').record.Id, ports: {} },
  { name: 'default bridge, -p HOST:80', networkId: manager.get('bridge').record.Id, ports: (i) => ({ '80/tcp': [{ HostIp: '', HostPort: String(30000 + i) }] }) },
  { name: 'user-defined network (with DNS)', networkId: user.Id, ports: {} },
];
const out = {};
for (const c of cases) {
  const setup = [];
  const release = [];
  for (let i = 0; i < Number(runsText); i++) {
    const child = await sandbox();
    const req = { id: `${i}`.padStart(64, '0'), name: `c${i}`, hostConfig: hostConfig(typeof c.ports === 'function' ? c.ports(i) : c.ports), exposedPorts: {}, macAddress: '' };
    let t = process.hrtime.bigint();
    const eps = await manager.connectAll(req, [{ NetworkID: c.networkId, Aliases: [] }]);
    manager.plumbAll(eps, child.pid);
    setup.push(ms(t));
    t = process.hrtime.bigint();
    await manager.disconnectAll(eps);
    release.push(ms(t));
    child.kill('SIGKILL');
  }
  out[c.name] = { setup, release };
}
await manager.remove('benchnet');
await manager.close();
db.close();
rmSync(dir, { recursive: true, force: true });
process.stdout.write(JSON.stringify(out));
