// A small validator of JSON values against the Engine API swagger (v1.44, Swagger 2.0): the
// response schema of a path, method and status, checked for types, enums, required and unknown
// properties, map values (additionalProperties) and array items.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REPO } from './daemon.js';

export interface SwaggerSchema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  properties?: Record<string, SwaggerSchema>;
  additionalProperties?: SwaggerSchema | boolean;
  allOf?: SwaggerSchema[];
  items?: SwaggerSchema;
  required?: string[];
  'x-nullable'?: boolean;
}

interface Swagger {
  definitions: Record<string, SwaggerSchema>;
  paths: Record<string, Record<string, { responses: Record<string, { schema?: SwaggerSchema }> }>>;
}

export const SWAGGER_FILE = join(REPO, '../shared/conformance/engine-api/v1.44.yaml');

export class SwaggerValidator {
  private constructor(private readonly doc: Swagger) {}

  static load(file = SWAGGER_FILE): SwaggerValidator {
    return new SwaggerValidator(parse(readFileSync(file, 'utf8')) as Swagger);
  }

  /**
   * The response schema of `method path` (a swagger path such as `/containers/{id}/json`) with
   * `status`: undefined when that response has no body; an error when the swagger does not list it.
   */
  responseSchema(method: string, path: string, status: number): SwaggerSchema | undefined {
    const op = this.doc.paths[path]?.[method.toLowerCase()];
    if (!op) throw new Error(`swagger has no ${method} ${path}`);
    const response = op.responses[String(status)];
    if (!response) throw new Error(`swagger lists no ${status} for ${method} ${path}`);
    return response.schema;
  }

  /** The problems of `value` against the response of `method path` with `status` (empty when it conforms). */
  validateResponse(method: string, path: string, status: number, value: unknown): string[] {
    const schema = this.responseSchema(method, path, status);
    return schema ? this.validate(value, schema) : [];
  }

  /** The problems of `value` against `schema`, each prefixed with its JSON path. */
  validate(value: unknown, schema: SwaggerSchema, at = '$'): string[] {
    const s = this.resolve(schema);
    if (value === null) {
      // Go encodes nil slices and maps as null, which Docker's swagger rarely marks nullable.
      return s['x-nullable'] || s.type === 'array' || s.type === 'object' || s.type === undefined ? [] : [`${at}: null where swagger has ${s.type}`];
    }
    const actual = Array.isArray(value) ? 'array' : typeof value;
    switch (s.type) {
      case 'string':
        if (actual !== 'string') return [`${at}: ${actual} where swagger has string`];
        break;
      case 'boolean':
        if (actual !== 'boolean') return [`${at}: ${actual} where swagger has boolean`];
        break;
      case 'integer':
        if (!Number.isInteger(value)) return [`${at}: ${JSON.stringify(value)} where swagger has integer`];
        break;
      case 'number':
        if (actual !== 'number') return [`${at}: ${actual} where swagger has number`];
        break;
      case 'array':
        if (actual !== 'array') return [`${at}: ${actual} where swagger has array`];
        return s.items ? (value as unknown[]).flatMap((v, i) => this.validate(v, s.items as SwaggerSchema, `${at}[${i}]`)) : [];
      case 'object':
      case undefined:
        if (s.type === 'object' || s.properties || s.additionalProperties) return this.validateObject(value, s, at);
        return [];
      default:
        return [`${at}: swagger type ${s.type} not understood`];
    }
    if (s.enum && !s.enum.includes(value)) return [`${at}: ${JSON.stringify(value)} not one of ${JSON.stringify(s.enum)}`];
    return [];
  }

  private validateObject(value: unknown, s: SwaggerSchema, at: string): string[] {
    if (typeof value !== 'object' || Array.isArray(value)) return [`${at}: ${Array.isArray(value) ? 'array' : typeof value} where swagger has object`];
    const obj = value as Record<string, unknown>;
    const problems: string[] = [];
    for (const name of s.required ?? []) if (!(name in obj)) problems.push(`${at}.${name}: required but missing`);
    for (const [name, v] of Object.entries(obj)) {
      const prop = s.properties?.[name];
      if (prop) problems.push(...this.validate(v, prop, `${at}.${name}`));
      else if (typeof s.additionalProperties === 'object') problems.push(...this.validate(v, s.additionalProperties, `${at}.${name}`));
      else if (s.properties && s.additionalProperties !== true) problems.push(`${at}.${name}: not in swagger`);
    }
    return problems;
  }

  /** Follows $ref and merges allOf into one object schema. */
  private resolve(s: SwaggerSchema): SwaggerSchema {
    if (s.$ref) {
      const def = this.doc.definitions[s.$ref.split('/').pop() as string];
      if (!def) throw new Error(`swagger has no ${s.$ref}`);
      return this.resolve({ ...def, ...(s['x-nullable'] ? { 'x-nullable': true } : {}) });
    }
    if (!s.allOf) return s;
    const merged: SwaggerSchema = { type: 'object', properties: {}, required: [] };
    for (const part of s.allOf.map((p) => this.resolve(p))) {
      Object.assign(merged.properties as object, part.properties);
      merged.required?.push(...(part.required ?? []));
      if (part.additionalProperties !== undefined) merged.additionalProperties = part.additionalProperties;
    }
    return merged;
  }
}
