import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeRegistryAuth, defaultConfigPath, DockerConfigFile, encodeRegistryAuth } from './credentials.js';

describe('config.json', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'berth-docker-config-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('lives in $DOCKER_CONFIG or ~/.docker', () => {
    expect(defaultConfigPath({ DOCKER_CONFIG: dir })).toBe(join(dir, 'config.json'));
    expect(defaultConfigPath({})).toMatch(/\.docker\/config\.json$/);
  });

  it('writes auths in Docker format and reads them back', async () => {
    const path = join(dir, 'sub', 'config.json');
    const file = await DockerConfigFile.load(path);
    expect(file.get('docker.io')).toBeUndefined();
    expect(file.set('https://index.docker.io/v1/', { username: 'hub', password: 'pw' })).toBe('https://index.docker.io/v1/');
    expect(file.set('localhost:5000', { username: 'me', password: 'p:w', email: 'me@x' })).toBe('localhost:5000');
    await file.save();
    const raw = await readFile(path, 'utf8');
    expect(JSON.parse(raw)).toEqual({
      auths: {
        'https://index.docker.io/v1/': { auth: Buffer.from('hub:pw').toString('base64') },
        'localhost:5000': { auth: Buffer.from('me:p:w').toString('base64'), email: 'me@x' },
      },
    });
    expect(raw).toContain('\n\t"auths": {\n\t\t"https://index.docker.io/v1/"');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'sub'))).mode & 0o777).toBe(0o700);

    const again = await DockerConfigFile.load(path);
    expect(again.get('docker.io')).toMatchObject({ username: 'hub', password: 'pw', serveraddress: 'https://index.docker.io/v1/' });
    expect(again.get('localhost:5000')).toMatchObject({ username: 'me', password: 'p:w', email: 'me@x' });
    expect(again.remove('localhost:5000')).toBe(true);
    expect(again.remove('localhost:5000')).toBe(false);
    await again.save();
    expect((await DockerConfigFile.load(path)).servers()).toEqual(['https://index.docker.io/v1/']);
  });

  it('keeps the keys it does not manage, and finds entries written with a scheme', async () => {
    const path = join(dir, 'config.json');
    await writeFile(path, JSON.stringify({ auths: { 'http://reg.local:5000/v2/': { auth: Buffer.from('a:b').toString('base64') } }, credsStore: 'pass', HttpHeaders: { 'X-A': '1' } }));
    const file = await DockerConfigFile.load(path);
    expect(file.get('reg.local:5000')).toMatchObject({ username: 'a', password: 'b' });
    file.set('other:1', { username: 'x', password: 'y' });
    await file.save();
    expect(JSON.parse(await readFile(path, 'utf8'))).toMatchObject({ credsStore: 'pass', HttpHeaders: { 'X-A': '1' } });
  });

  it('reports a broken file', async () => {
    const path = join(dir, 'config.json');
    await writeFile(path, '{');
    await expect(DockerConfigFile.load(path)).rejects.toThrow(`loading config file: ${path}:`);
  });
});

describe('X-Registry-Auth', () => {
  it('is base64url JSON both ways', () => {
    const auth = { username: 'u>?', password: 'p~~~', serveraddress: 'localhost:5000' };
    const encoded = encodeRegistryAuth(auth);
    expect(encoded).not.toMatch(/[+/=]/);
    expect(JSON.parse(Buffer.from(encoded, 'base64url').toString())).toEqual(auth);
    expect(decodeRegistryAuth(encoded)).toEqual(auth);
  });
  it('accepts standard base64 and padding, and ignores empty fields', () => {
    const std = Buffer.from(JSON.stringify({ username: 'u>?', password: 'p~~~', email: '', identitytoken: 'tok' })).toString('base64');
    expect(decodeRegistryAuth(std)).toEqual({ username: 'u>?', password: 'p~~~', identitytoken: 'tok' });
    expect(decodeRegistryAuth(undefined)).toEqual({});
    expect(decodeRegistryAuth('')).toEqual({});
    expect(decodeRegistryAuth(Buffer.from('{}').toString('base64'))).toEqual({});
  });
  it('refuses what is not a JSON object', () => {
    expect(() => decodeRegistryAuth('!!!')).toThrow('invalid X-Registry-Auth header');
    expect(() => decodeRegistryAuth(Buffer.from('[1]').toString('base64url'))).toThrow('invalid X-Registry-Auth header: not an object');
  });
});
