import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, createServer, type Server, type Socket } from 'node:net';

/** A running userland proxy: forwards one host port to a container port. */
export interface Proxy {
  close(): Promise<void>;
}

export interface ProxyTarget {
  proto: 'tcp' | 'udp';
  hostIp: string;
  hostPort: number;
  containerIp: string;
  containerPort: number;
}

/** How long a UDP client's flow is kept without traffic (Docker's proxy uses 90 s). */
const UDP_IDLE_MS = 90_000;

/**
 * Listens on hostIp:hostPort and relays to the container: what DNAT cannot do (connections to
 * 127.0.0.1, which never cross the nat table's PREROUTING) reaches the container through here.
 * Rejects when the port cannot be bound (EADDRINUSE, ...).
 */
export function startProxy(t: ProxyTarget): Promise<Proxy> {
  return t.proto === 'tcp' ? tcpProxy(t) : udpProxy(t);
}

function tcpProxy(t: ProxyTarget): Promise<Proxy> {
  const open = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(t.containerPort, t.containerIp);
    open.add(client).add(upstream);
    const end = (): void => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: t.hostIp, port: t.hostPort, exclusive: true }, () => {
      server.off('error', reject);
      resolve({
        close: () =>
          new Promise<void>((done) => {
            for (const s of open) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

function udpProxy(t: ProxyTarget): Promise<Proxy> {
  const socket = createSocket({ type: 'udp4', reuseAddr: false });
  const flows = new Map<string, { upstream: UdpSocket; timer: NodeJS.Timeout }>();
  const drop = (key: string): void => {
    const f = flows.get(key);
    if (!f) return;
    clearTimeout(f.timer);
    f.upstream.close();
    flows.delete(key);
  };
  socket.on('message', (msg, from) => {
    const key = `${from.address}:${from.port}`;
    let f = flows.get(key);
    if (!f) {
      const upstream = createSocket('udp4');
      upstream.on('message', (reply) => socket.send(reply, from.port, from.address));
      upstream.on('error', () => drop(key));
      f = { upstream, timer: setTimeout(() => drop(key), UDP_IDLE_MS) };
      flows.set(key, f);
    }
    f.timer.refresh();
    f.upstream.send(msg, t.containerPort, t.containerIp);
  });
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind({ address: t.hostIp, port: t.hostPort, exclusive: true }, () => {
      socket.off('error', reject);
      resolve({
        close: () =>
          new Promise<void>((done) => {
            for (const key of [...flows.keys()]) drop(key);
            socket.close(() => done());
          }),
      });
    });
  });
}
