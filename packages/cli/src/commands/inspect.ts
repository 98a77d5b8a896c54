import { parseTemplate, TemplateError } from '@berth/go-template';
import type { Template } from '@berth/go-template';
import type { EngineClient } from '../client/client.js';
import type { Command } from '../command.js';
import { ExitError, commandFlags, parseCommandFlags } from '../command.js';
import { formatInspect } from '../format/inspect.js';
import { seg } from '../targets.js';

/** Exit status of docker inspect for a template that does not parse. */
const EXIT_TEMPLATE = 64;

async function lookup(client: EngineClient, name: string, type: string): Promise<unknown> {
  if (type !== 'image') {
    try {
      return await client.json('GET', `/containers/${seg(name)}/json`);
    } catch (err) {
      if (type === 'container') throw new Error(`Error: No such container: ${name}`, { cause: err });
    }
  }
  try {
    return await client.json('GET', `/images/${seg(name)}/json`);
  } catch (err) {
    throw new Error(type === 'image' ? `Error: No such image: ${name}` : `Error: No such image or container: ${name}`, { cause: err });
  }
}

/** `berth inspect`: each container or image as docker 1.7's indented JSON array, or through -f. */
export const inspectCommand: Command = {
  name: 'inspect',
  signature: 'CONTAINER|IMAGE [CONTAINER|IMAGE...]',
  description: 'Return low-level information on a container or image',
  async run(ctx, argv) {
    const fs = commandFlags(this);
    const format = fs.string(['f', '#format', '-format'], '', 'Format the output using the given go template');
    const type = fs.string(['-type'], '', 'Return JSON for specified type, (e.g image or container)');
    const names = parseCommandFlags(ctx, this, fs, argv, { min: 1 });
    if (type.value !== '' && type.value !== 'container' && type.value !== 'image') {
      throw new Error(`${type.value} is not a valid value for --type`);
    }
    let tmpl: Template | undefined;
    if (format.value !== '') {
      try {
        tmpl = parseTemplate(format.value);
      } catch (err) {
        ctx.stderr.write(`Template parsing error: ${(err as Error).message}\n`);
        throw new ExitError(EXIT_TEMPLATE);
      }
    }
    const client = await ctx.client();
    const found: unknown[] = [];
    let status = 0;
    for (const name of names) {
      let obj: unknown;
      try {
        obj = await lookup(client, name, type.value);
      } catch (err) {
        ctx.stderr.write(`${(err as Error).message}\n`);
        status = 1;
        continue;
      }
      if (!tmpl) {
        found.push(obj);
        continue;
      }
      try {
        ctx.stdout.write(`${tmpl.execute(obj)}\n`);
      } catch (err) {
        // 1.7 keeps what the template printed before failing; the error ends the command (exit 1).
        if (err instanceof TemplateError) ctx.stdout.write(err.output);
        throw err;
      }
    }
    if (!tmpl) ctx.stdout.write(formatInspect(found));
    return status;
  },
};
