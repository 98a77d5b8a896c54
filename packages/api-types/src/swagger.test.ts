import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import {
  ContainerInspect,
  ContainerState,
  ContainerSummary,
  EventMessage,
  HostConfig,
  ContainerConfig,
  ImageInspect,
  ImageSummary,
  NetworkSettings,
  SystemInfo,
  SystemVersion,
  ContainerWaitResponse,
  ContainerCreateResponse,
  MountPoint,
  EndpointSettings,
  ExecInspect,
  ContainerTopResponse,
  FilesystemChange,
  ImageHistoryItem,
  ErrorResponse,
  Volume,
  VolumeListResponse,
  VolumePruneResponse,
  NetworkCreateResponse,
  NetworkPruneResponse,
  NetworkResource,
} from './index.js';

type Schema = {
  $ref?: string;
  type?: string;
  properties?: Record<string, Schema>;
  allOf?: Schema[];
  anyOf?: Schema[];
  items?: Schema;
  required?: string[];
};

const swagger = parse(
  readFileSync(new URL('../../../../shared/conformance/engine-api/v1.44.yaml', import.meta.url), 'utf8'),
) as { definitions: Record<string, Schema>; paths: Record<string, Record<string, { responses: Record<string, { schema: Schema }> }>> };

function deref(s: Schema): Schema {
  if (s.$ref) return deref(swagger.definitions[s.$ref.split('/').pop() as string] as Schema);
  if (s.allOf) {
    const merged: Schema = { type: 'object', properties: {}, required: [] };
    for (const part of s.allOf.map(deref)) {
      Object.assign(merged.properties as object, part.properties);
      merged.required?.push(...(part.required ?? []));
    }
    return merged;
  }
  return s;
}

/** The JSON types a zod-made JSON Schema allows, nullability aside. */
function oursTypes(s: Schema): Set<string> {
  if (s.anyOf) return new Set(s.anyOf.flatMap((x) => [...oursTypes(x)]).filter((t) => t !== 'null'));
  const t = s.type as string | string[] | undefined;
  // A literal integer (z.literal(0)) is a number with an integer const.
  if (t === 'number' && Number.isInteger((s as { const?: unknown }).const)) return new Set(['integer']);
  return new Set((Array.isArray(t) ? t : t ? [t] : []).filter((x) => x !== 'null'));
}

/** Property names, types and required lists of `ours` against the swagger `def`, recursively for objects. */
function compare(path: string, ours: Schema, def: Schema, problems: string[], depth = 0): void {
  const theirs = deref(def);
  const types = oursTypes(ours);
  const theirType = theirs.type ?? (theirs.properties ? 'object' : undefined);
  // An int64 may exceed 2^53 (timeNano), so a plain JS number stands for it.
  const int64AsNumber = theirType === 'integer' && (theirs as { format?: string }).format === 'int64' && types.has('number');
  if (theirType && !types.has(theirType) && !int64AsNumber) {
    problems.push(`${path}: type ${[...types].join('|')} where swagger has ${theirType}`);
    return;
  }
  const obj = ours.anyOf ? ours.anyOf.find((x) => x.type === 'object') : ours;
  if (theirType === 'object' && theirs.properties && obj?.properties && depth < 2) {
    for (const [name, sub] of Object.entries(theirs.properties)) {
      const mine = obj.properties[name];
      if (!mine) problems.push(`${path}.${name}: missing`);
      else compare(`${path}.${name}`, mine, sub, problems, depth + 1);
    }
    for (const name of theirs.required ?? []) {
      if (!obj.required?.includes(name)) problems.push(`${path}.${name}: optional but swagger requires it`);
    }
  }
  if (theirType === 'array' && theirs.items) {
    const arr = ours.anyOf ? ours.anyOf.find((x) => x.type === 'array') : ours;
    if (arr?.items) compare(`${path}[]`, arr.items, theirs.items, problems, depth);
  }
}

function check(ours: z.ZodType, def: Schema, extraAllowed: string[] = []): string[] {
  const json = z.toJSONSchema(ours, { io: 'output', unrepresentable: 'any' }) as Schema;
  const problems: string[] = [];
  compare('$', json, def, problems);
  // Nothing of ours that Docker does not have, except the legacy fields we keep on purpose.
  const theirs = deref(def);
  for (const name of Object.keys(json.properties ?? {})) {
    if (!(name in (theirs.properties ?? {})) && !extraAllowed.includes(name)) problems.push(`$.${name}: not in swagger`);
  }
  return problems;
}

const responseOf = (path: string, method = 'get', code = '200'): Schema =>
  swagger.paths[path]?.[method]?.responses[code]?.schema as Schema;
const inspectResponse = responseOf('/containers/{id}/json');

function withoutProperty(definition: string, property: string): Schema {
  const def = swagger.definitions[definition] as Schema;
  const properties = Object.fromEntries(Object.entries(def.properties ?? {}).filter(([k]) => k !== property));
  return { ...def, properties };
}

describe('response schemas match the v1.44 swagger', () => {
  const cases: [string, z.ZodType, Schema, string[]?][] = [
    ['ContainerInspectResponse', ContainerInspect, inspectResponse],
    ['ContainerSummary', ContainerSummary, { $ref: '#/definitions/ContainerSummary' }],
    ['ContainerState', ContainerState, { $ref: '#/definitions/ContainerState' }],
    ['ContainerConfig', ContainerConfig, { $ref: '#/definitions/ContainerConfig' }],
    ['HostConfig', HostConfig, { $ref: '#/definitions/HostConfig' }],
    ['NetworkSettings', NetworkSettings, { $ref: '#/definitions/NetworkSettings' }],
    ['EndpointSettings', EndpointSettings, { $ref: '#/definitions/EndpointSettings' }],
    ['MountPoint', MountPoint, { $ref: '#/definitions/MountPoint' }],
    ['SystemVersion', SystemVersion, { $ref: '#/definitions/SystemVersion' }],
    ['SystemInfo', SystemInfo, { $ref: '#/definitions/SystemInfo' }],
    ['ImageSummary', ImageSummary, { $ref: '#/definitions/ImageSummary' }, ['VirtualSize']],
    ['ImageInspect', ImageInspect, { $ref: '#/definitions/ImageInspect' }, ['VirtualSize']],
    ['EventMessage', EventMessage, { $ref: '#/definitions/EventMessage' }, ['status', 'id', 'from']],
    ['ContainerWaitResponse', ContainerWaitResponse, { $ref: '#/definitions/ContainerWaitResponse' }],
    ['ContainerCreateResponse', ContainerCreateResponse, { $ref: '#/definitions/ContainerCreateResponse' }],
    ['ExecInspectResponse', ExecInspect, responseOf('/exec/{id}/json')],
    ['ContainerTopResponse', ContainerTopResponse, responseOf('/containers/{id}/top')],
    ['FilesystemChange', FilesystemChange, { $ref: '#/definitions/FilesystemChange' }],
    ['HistoryResponseItem', ImageHistoryItem, (responseOf('/images/{name}/history') as Schema).items as Schema],
    ['ErrorResponse', ErrorResponse, { $ref: '#/definitions/ErrorResponse' }],
    // ClusterVolume is swarm's: this engine has no swarm mode.
    ['Volume', Volume, withoutProperty('Volume', 'ClusterVolume')],
    [
      'VolumeListResponse',
      VolumeListResponse,
      { type: 'object', properties: { Volumes: { type: 'array', items: withoutProperty('Volume', 'ClusterVolume') }, Warnings: { type: 'array', items: { type: 'string' } } } },
    ],
    ['VolumePruneResponse', VolumePruneResponse, responseOf('/volumes/prune', 'post')],
    ['Network', NetworkResource, { $ref: '#/definitions/Network' }],
    ['NetworkCreateResponse', NetworkCreateResponse, responseOf('/networks/create', 'post', '201')],
    ['NetworkPruneResponse', NetworkPruneResponse, responseOf('/networks/prune', 'post')],
  ];
  for (const [name, ours, def, extra] of cases) {
    it(name, () => {
      expect(check(ours, def, extra)).toEqual([]);
    });
  }

  it('notices a missing or mistyped property', () => {
    const broken = SystemVersion.omit({ ApiVersion: true }).extend({ Os: z.number() });
    expect(check(broken, { $ref: '#/definitions/SystemVersion' })).toEqual([
      '$.ApiVersion: missing',
      '$.Os: type number where swagger has string',
    ]);
  });
});
