import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SWAGGER_FILE, SwaggerValidator } from './swagger.js';

describe.skipIf(!existsSync(SWAGGER_FILE))('SwaggerValidator', () => {
  const v = SwaggerValidator.load();

  it('accepts a conforming response and names each problem of a broken one', () => {
    expect(v.validateResponse('POST', '/containers/{id}/wait', 200, { StatusCode: 0, Error: null })).toEqual([]);
    expect(v.validateResponse('POST', '/containers/{id}/wait', 200, { StatusCode: 1.5, Extra: 1 })).toEqual([
      '$.StatusCode: 1.5 where swagger has integer',
      '$.Extra: not in swagger',
    ]);
    expect(v.validateResponse('POST', '/containers/{id}/wait', 200, {})).toEqual(['$.StatusCode: required but missing']);
  });

  it('follows refs, allOf, arrays, maps and enums; null only where Go would write it', () => {
    const summary = { Id: 'x', Names: ['/a'], State: 'running', Labels: { a: 'b' }, Ports: null, Mounts: [] };
    expect(v.validateResponse('GET', '/containers/json', 200, [summary])).toEqual([]);
    expect(v.validateResponse('GET', '/containers/json', 200, [{ ...summary, Labels: { a: 1 }, Names: 'a' }])).toEqual([
      '$[0].Names: string where swagger has array',
      '$[0].Labels.a: number where swagger has string',
    ]);
    expect(v.validateResponse('GET', '/containers/{id}/json', 200, { State: { Status: 'sleeping', Pid: null } })).toEqual([
      '$.State.Status: "sleeping" not one of ["created","running","paused","restarting","removing","exited","dead"]',
      '$.State.Pid: null where swagger has integer',
    ]);
  });
});
