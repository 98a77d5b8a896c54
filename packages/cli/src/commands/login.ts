import { DOCKER_HUB_AUTH_KEY, domainFromServerAddress, authKeyFor } from '@berth/registry';
import type { Command } from '../command.js';
import { commandFlags, parseCommandFlags } from '../command.js';
import { prompt, readAll } from '../input.js';
import { loadConfigFile } from '../registry-auth.js';

/**
 * `berth login [SERVER]`: the daemon checks the credentials with the registry (`POST /auth`);
 * on success they are kept in config.json (shared with the docker CLI).
 */
export const loginCommand: Command = {
  name: 'login',
  signature: '[SERVER]',
  description: `Log in to a registry.\nIf no server is specified, the default is defined by the daemon.`,
  summary: 'Log in to a registry',
  async run(ctx, argv) {
    const fs = commandFlags(this);
    const username = fs.string(['u', '-username'], '', 'Username');
    const password = fs.string(['p', '-password'], '', 'Password');
    const passwordStdin = fs.bool(['-password-stdin'], false, 'Take the password from stdin');
    const args = parseCommandFlags(ctx, this, fs, argv, { max: 1 });
    if (password.value !== '') {
      ctx.stderr.write('WARNING! Using --password via the CLI is insecure. Use --password-stdin.\n');
      if (passwordStdin.value) throw new Error('--password and --password-stdin are mutually exclusive');
    }
    let user = username.value.trim();
    let pass = password.value;
    if (passwordStdin.value) {
      if (user === '') throw new Error('Must provide --username with --password-stdin');
      pass = (await readAll(ctx.stdin)).toString().replace(/\r?\n$/, '').replace(/\r$/, '');
    }
    const server = args[0] ?? DOCKER_HUB_AUTH_KEY;
    if (user === '' || pass === '') {
      if (!ctx.stdin.isTTY) throw new Error('Error: Cannot perform an interactive login from a non TTY device');
      if (user === '') user = (await prompt(ctx, 'Username: ', false)).trim();
      if (user === '') throw new Error('Error: Non-null Username Required');
      if (pass === '') pass = await prompt(ctx, 'Password: ', true);
      if (pass === '') throw new Error('Error: Password Required');
    }
    const client = await ctx.client();
    const res = await client.json<{ Status?: string; IdentityToken?: string }>('POST', '/auth', {
      body: { username: user, password: pass, serveraddress: server },
    });
    const config = await loadConfigFile(ctx);
    config.set(server, res.IdentityToken ? { username: user, identitytoken: res.IdentityToken } : { username: user, password: pass });
    await config.save();
    ctx.stdout.write(`${res.Status || 'Login Succeeded'}\n`);
    return 0;
  },
};

/** `berth logout [SERVER]`: forgets the credentials kept for a registry. */
export const logoutCommand: Command = {
  name: 'logout',
  signature: '[SERVER]',
  description: `Log out from a registry.\nIf no server is specified, the default is defined by the daemon.`,
  summary: 'Log out from a registry',
  async run(ctx, argv) {
    const fs = commandFlags(this);
    const args = parseCommandFlags(ctx, this, fs, argv, { max: 1 });
    const shown = authKeyFor(domainFromServerAddress(args[0] ?? DOCKER_HUB_AUTH_KEY));
    const config = await loadConfigFile(ctx);
    if (!config.remove(args[0] ?? DOCKER_HUB_AUTH_KEY)) {
      ctx.stdout.write(`Not logged in to ${shown}\n`);
      return 0;
    }
    ctx.stdout.write(`Removing login credentials for ${shown}\n`);
    await config.save();
    return 0;
  },
};
