import { ConflictError, InvalidParameterError, SystemError } from '@berth/api-types';
import { broadcastOf, contains, ipToNumber, numberToIp, subnetText, type Subnet4 } from './ipv4.js';

/**
 * The addresses of one network: containers get the lowest free address of `range` (the
 * subnet, or --fixed-cidr's part of it), never the network, broadcast or gateway address.
 * Allocations live in memory; the engine reserves the addresses of running containers again
 * when it opens, so an address survives a daemon restart.
 */
export class AddressPool {
  private readonly used = new Set<number>();

  constructor(
    readonly subnet: Subnet4,
    readonly gateway: number,
    readonly range: Subnet4 = subnet,
  ) {}

  /** The lowest free address, or `wanted` when given (which must be free and in the subnet). */
  allocate(wanted?: string): string {
    if (wanted) {
      const ip = ipToNumber(wanted);
      if (!contains(this.subnet, ip)) throw new InvalidParameterError(`Invalid address ${wanted}: It does not belong to any of this network's subnets`);
      if (this.used.has(ip) || ip === this.gateway) throw new ConflictError(`Address already in use: ${wanted}`);
      this.used.add(ip);
      return wanted;
    }
    // the range's own network and broadcast addresses are skipped too, as Docker's allocator does
    const last = broadcastOf(this.range) - 1;
    for (let ip = this.range.network + 1; ip <= last; ip++) {
      if (ip === this.gateway || this.used.has(ip)) continue;
      this.used.add(ip);
      return numberToIp(ip);
    }
    throw new SystemError(`no available IPv4 addresses on this network's address pools: ${subnetText(this.range)}`);
  }

  /** Marks an address taken (a running container's, at engine start). */
  reserve(ip: string): void {
    this.used.add(ipToNumber(ip));
  }

  release(ip: string): void {
    this.used.delete(ipToNumber(ip));
  }
}
