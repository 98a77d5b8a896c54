import { CLIENT_API_VERSION } from '../client/client.js';
import type { Command } from '../command.js';
import { commandFlags, parseCommandFlags } from '../command.js';
import { CLI_VERSION, GIT_COMMIT, goArch } from '../build-info.js';

/** The fields of `GET /version` that `berth version` prints. */
interface ServerVersion {
  Version?: string;
  ApiVersion?: string;
  GoVersion?: string;
  GitCommit?: string;
  Os?: string;
  Arch?: string;
}

/** `berth version`: the client's lines, then the server's from `GET /version`, in 1.7's format. */
export const versionCommand: Command = {
  name: 'version',
  signature: '',
  description: 'Show the berth version information.',
  async run(ctx, argv) {
    parseCommandFlags(ctx, this, commandFlags(this), argv, { exact: 0 });
    const client = [
      `Client version: ${CLI_VERSION}`,
      `Client API version: ${CLIENT_API_VERSION}`,
      `Go version (client): ${process.version}`,
      ...(GIT_COMMIT ? [`Git commit (client): ${GIT_COMMIT}`] : []),
      `OS/Arch (client): linux/${goArch(process.arch)}`,
    ];
    ctx.stdout.write(`${client.join('\n')}\n`);
    // When the daemon cannot be reached the client lines stay printed and the error follows.
    const v = await (await ctx.client()).json<ServerVersion>('GET', '/version');
    const server = [
      `Server version: ${v.Version ?? ''}`,
      ...(v.ApiVersion ? [`Server API version: ${v.ApiVersion}`] : []),
      `Go version (server): ${v.GoVersion ?? ''}`,
      `Git commit (server): ${v.GitCommit ?? ''}`,
      `OS/Arch (server): ${v.Os ?? ''}/${v.Arch ?? ''}`,
    ];
    ctx.stdout.write(`${server.join('\n')}\n`);
    return 0;
  },
};
