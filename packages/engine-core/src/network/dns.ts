import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { isIPv4 } from 'node:net';

const TYPE_A = 1;
const CLASS_IN = 1;
const FLAG_QR = 0x8000;
const FLAG_RD = 0x0100;
const FLAG_RA = 0x0080;
const RCODE_SERVFAIL = 2;
const RCODE_NXDOMAIN = 3;
/** How long a forwarded query waits for the upstream's answer. */
const FORWARD_TIMEOUT_MS = 3000;
/** Answers for containers are not to be cached for long: they move. */
const TTL = 600;

export interface DnsQuestion {
  id: number;
  flags: number;
  name: string;
  type: number;
  klass: number;
  /** The question section as it came (copied into the answer). */
  question: Buffer;
}

/** The first question of a DNS query, or undefined when the packet is not one. */
export function parseQuery(msg: Buffer): DnsQuestion | undefined {
  if (msg.length < 12 || msg.readUInt16BE(4) < 1 || msg.readUInt16BE(2) & FLAG_QR) return undefined;
  const labels: string[] = [];
  let off = 12;
  for (;;) {
    const len = msg[off];
    if (len === undefined || len > 63) return undefined;
    off += 1;
    if (len === 0) break;
    if (off + len > msg.length) return undefined;
    labels.push(msg.subarray(off, off + len).toString('latin1'));
    off += len;
  }
  if (off + 4 > msg.length) return undefined;
  return {
    id: msg.readUInt16BE(0),
    flags: msg.readUInt16BE(2),
    name: labels.join('.').toLowerCase(),
    type: msg.readUInt16BE(off),
    klass: msg.readUInt16BE(off + 2),
    question: msg.subarray(12, off + 4),
  };
}

/** An answer to `q`: A records for `addresses`, or the given rcode with none. */
export function buildAnswer(q: DnsQuestion, addresses: readonly string[], rcode = 0): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(q.id, 0);
  header.writeUInt16BE(FLAG_QR | (q.flags & FLAG_RD) | FLAG_RA | 0x0400 /* AA */ | rcode, 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(addresses.length, 6);
  const answers = addresses.map((ip) => {
    const rr = Buffer.alloc(16);
    rr.writeUInt16BE(0xc00c, 0); // the name: a pointer to the question's
    rr.writeUInt16BE(TYPE_A, 2);
    rr.writeUInt16BE(CLASS_IN, 4);
    rr.writeUInt32BE(TTL, 6);
    rr.writeUInt16BE(4, 10);
    ip.split('.').forEach((o, i) => rr.writeUInt8(Number(o), 12 + i));
    return rr;
  });
  return Buffer.concat([header, q.question, ...answers]);
}

/**
 * The DNS server of a user-defined network, on its gateway address: names of the containers
 * on that network (and their aliases) resolve to their addresses there; any other query goes
 * to the host's resolvers and their answer comes back as it is.
 */
export class DnsServer {
  private constructor(
    private readonly socket: Socket,
    private readonly lookup: (name: string) => string[],
    private readonly upstreams: readonly string[],
  ) {
    socket.on('message', (msg, from) => this.onQuery(msg, from));
  }

  static listen(address: string, lookup: (name: string) => string[], upstreams: readonly string[]): Promise<DnsServer> {
    const socket = createSocket('udp4');
    return new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.bind({ address, port: 53, exclusive: true }, () => {
        socket.off('error', reject);
        socket.on('error', () => {});
        resolve(new DnsServer(socket, lookup, upstreams.filter((u) => isIPv4(u))));
      });
    });
  }

  private onQuery(msg: Buffer, from: RemoteInfo): void {
    const q = parseQuery(msg);
    if (!q) return;
    const name = q.name.replace(/\.$/, '');
    const local = q.klass === CLASS_IN ? this.lookup(name) : [];
    if (local.length > 0) {
      this.socket.send(buildAnswer(q, q.type === TYPE_A ? local : []), from.port, from.address);
      return;
    }
    // a name with no dot is a container's or nothing: the world has no answer for it
    if (!name.includes('.') || this.upstreams.length === 0) {
      this.socket.send(buildAnswer(q, [], RCODE_NXDOMAIN), from.port, from.address);
      return;
    }
    this.forward(msg, q, from);
  }

  private forward(msg: Buffer, q: DnsQuestion, from: RemoteInfo): void {
    const upstream = createSocket('udp4');
    const done = (reply: Buffer): void => {
      clearTimeout(timer);
      upstream.close();
      this.socket.send(reply, from.port, from.address);
    };
    const timer = setTimeout(() => done(buildAnswer(q, [], RCODE_SERVFAIL)), FORWARD_TIMEOUT_MS);
    upstream.on('message', (reply) => done(reply));
    upstream.on('error', () => done(buildAnswer(q, [], RCODE_SERVFAIL)));
    upstream.send(msg, 53, this.upstreams[0]);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}

/** The nameservers of a resolv.conf text. */
export function nameservers(text: string): string[] {
  return text.split('\n').flatMap((l) => {
    const m = /^\s*nameserver\s+(\S+)/.exec(l);
    return m?.[1] ? [m[1]] : [];
  });
}
