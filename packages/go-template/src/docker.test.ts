import { describe, expect, it } from 'vitest';
import { headerFuncs, isTableFormat, stripTable } from './docker.js';
import { TemplateError } from './errors.js';
import { spec } from './funcs.js';
import { dockerTableOptions, TabWriter } from './tabwriter.js';
import { parseTemplate, render } from './template.js';
import { goStruct } from './value.js';

function parseError(text: string): string {
  try {
    parseTemplate(text);
  } catch (e) {
    expect(e).toBeInstanceOf(TemplateError);
    return (e as TemplateError).message;
  }
  throw new Error('parsed without error');
}

const container = {
  Id: '5d35dd929e49',
  LogPath: '/home/docker/.docker/containers/5d35dd929e49/5d35dd929e49-json.log',
  RestartCount: 0,
  NetworkSettings: { IPAddress: '172.17.0.4', Ports: { '5000/tcp': [{ HostIp: '0.0.0.0', HostPort: '5002' }] } },
  Mounts: [
    { Source: '/data', Destination: '/registry', RW: true },
    { Source: '/etc/conf', Destination: '/conf', RW: false },
  ],
  Config: { Hostname: '5d35dd929e49', Env: ['HOME=/', 'DEBUG=true'], ExposedPorts: { '5000/tcp': {} }, Cmd: null },
  HostConfig: { RestartPolicy: goStruct({ Name: 'on-failure', MaximumRetryCount: 50 }, 'runconfig.RestartPolicy') },
};

describe("the book's docker inspect -f examples", () => {
  it('{{.NetworkSettings.IPAddress}}', () => {
    expect(render('{{.NetworkSettings.IPAddress}}', container)).toBe('172.17.0.4');
  });

  it('a wrong-case field prints <no value>', () => {
    expect(render('{{.logPath}}', container)).toBe('<no value>');
    expect(render('{{.LogPath}}', container)).toBe(container.LogPath);
  });

  it('index into the port map, and a field of the indexed element', () => {
    expect(render('{{ (index .NetworkSettings.Ports "5000/tcp")}}', container)).toBe('[map[HostIp:0.0.0.0 HostPort:5002]]');
    expect(render('{{(index (index .NetworkSettings.Ports "5000/tcp")\n0).HostPort}}', container)).toBe('5002');
  });

  it('{{range .Mounts}}', () => {
    expect(render('{{range .Mounts}}{{.Source}}:{{.Destination}} {{end}}', container)).toBe('/data:/registry /etc/conf:/conf ');
  });

  it('{{json .Config}} is compact json.Marshal output with sorted keys', () => {
    expect(render('{{json .Config}}', container)).toBe(
      '{"Cmd":null,"Env":["HOME=/","DEBUG=true"],"ExposedPorts":{"5000/tcp":{}},"Hostname":"5d35dd929e49"}',
    );
  });

  it('json escapes <, > and & as Go does', () => {
    expect(render('{{json .}}', { a: '<b>&' })).toBe('{"a":"\\u003cb\\u003e\\u0026"}');
  });

  it('slices print as [a b] and structs as {a b}', () => {
    expect(render('{{ .Config.Env }}', container)).toBe('[HOME=/ DEBUG=true]');
    expect(render('{{ .HostConfig.RestartPolicy }}', container)).toBe('{on-failure 50}');
    expect(render('{{printf "%+v" .HostConfig.RestartPolicy}}', container)).toBe('{Name:on-failure MaximumRetryCount:50}');
    expect(render('{{ .RestartCount }}', container)).toBe('0');
  });

  it('indexing a struct fails as in Go', () => {
    expect(() => render('{{index .HostConfig.RestartPolicy "Name"}}', container)).toThrow(
      'template: :1:2: executing "" at <index .HostConfig.RestartPolicy "Name">: error calling index: can\'t index item of type runconfig.RestartPolicy',
    );
    expect(() => render('{{.HostConfig.RestartPolicy.Nope}}', container)).toThrow(
      "can't evaluate field Nope in type interface {}",
    );
  });

  it('an unquoted template split by the shell is an unclosed action (verbatim from the book)', () => {
    expect(parseError('{{')).toBe('template: :1: unexpected unclosed action in command');
  });
});

describe('parse errors', () => {
  it.each([
    ['{{foo}}', 'template: :1: function "foo" not defined'],
    // Lexer errors in Go 1.4's form, as docker 1.7 printed them (Go 1.19: just the lexer's message).
    ['{{"abc}}', 'template: :1: unexpected unterminated quoted string in command'],
    ['line1\n{{', 'template: :2: unexpected unclosed action in command'],
    ['{{/*}}', 'template: :1: unexpected unclosed comment in input'],
    ['{{.X (1 2 3}}', 'template: :1: unexpected unclosed left paren in operand'],
    ['{{a#}}', "template: :1: unexpected bad character U+0023 '#' in command"],
    ['a\n{{end}}', 'template: :2: unexpected {{end}}'],
    ['{{if .A}}', 'template: :1: unexpected EOF'],
    ['{{$x}}', 'template: :1: undefined variable "$x"'],
    ['{{break}}', 'template: :1: {{break}} outside {{range}}'],
    ['{{.A | 3}}', 'template: :1: non executable command in pipeline stage 2'],
    ['{{range $a, $b, $c := .}}{{end}}', 'template: :1: too many declarations in range'],
  ])('%s', (text, message) => {
    expect(parseError(text)).toBe(message);
  });

  it('names the template in the message', () => {
    expect(() => parseTemplate('{{nope}}', { name: 'x' })).toThrow('template: x:1: function "nope" not defined');
  });
});

describe('execution', () => {
  it('reports errors with Go context and keeps the output produced before them', () => {
    const t = parseTemplate('ok {{.A.B}} never', { name: 'x' });
    try {
      t.execute({ A: 'str' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(TemplateError);
      const err = e as TemplateError;
      expect(err.phase).toBe('exec');
      expect(err.message).toBe('template: x:1:7: executing "x" at <.A.B>: can\'t evaluate field B in type interface {}');
      expect(err.output).toBe('ok ');
    }
  });

  it('runs functions from the caller, which may fail with Go\'s wording', () => {
    const funcs = {
      twice: spec(['int'], (n: number) => n * 2),
      boom: () => {
        throw new Error('no luck');
      },
    };
    expect(render('{{twice 21}}', null, { funcs })).toBe('42');
    expect(() => render('{{boom}}', null, { funcs })).toThrow('template: :1:2: executing "" at <boom>: error calling boom: no luck');
    expect(() => render('{{twice "a"}}', null, { funcs })).toThrow('expected integer; found "a"');
    expect(() => render('{{twice 1 2}}', null, { funcs })).toThrow('wrong number of args for twice: want 1 got 2');
    // Without docker's functions, json is not defined.
    expect(() => parseTemplate('{{json .}}', { funcs: {} })).toThrow('function "json" not defined');
  });

  it('executes a defined template by name', () => {
    const t = parseTemplate('{{define "row"}}<{{.}}>{{end}}main', { name: 'x' });
    expect(t.templateNames.sort()).toEqual(['row', 'x']);
    expect(t.execute(1)).toBe('main');
    expect(t.executeTemplate('row', 1)).toBe('<1>');
    expect(() => t.executeTemplate('nope', 1)).toThrow('template: no template "nope" associated with template "x"');
  });

  it('calls function values with call', () => {
    expect(render('{{call .F 2 3}}', { F: (a: number, b: number) => a + b })).toBe('5');
  });

  it('treats JS numbers by value where Go would tell int from float64', () => {
    // Go: "incompatible types for comparison" (an int field against a float constant).
    expect(render('{{lt .N 1.5}} {{eq .F 2.0}}', { N: 1, F: 2 })).toBe('true true');
    // Go: %!f(int=1). JSON data cannot tell 1.0 from 1, so integral numbers take float verbs.
    expect(render('{{printf "%.2f" .N}}', { N: 1 })).toBe('1.00');
    // Integral numbers print as integers, not as Go prints float64 (1e+06).
    expect(render('{{.N}} {{.F}}', { N: 1e6, F: 1e6 + 0.5 })).toBe('1000000 1.0000005e+06');
  });

  it('accepts a list of strings for join ([]string in docker\'s typed data)', () => {
    expect(render('{{join .Env ","}}', { Env: ['A=1', 'B=2'] })).toBe('A=1,B=2');
    expect(() => render('{{join .Env ","}}', { Env: [1] })).toThrow('wrong type for value; expected []string; got []interface {}');
  });

  it('stops at Go\'s template depth limit instead of overflowing the stack', () => {
    expect(() => render('{{define "r"}}{{template "r" .}}{{end}}{{template "r" .}}', 1)).toThrow(
      'exceeded maximum template depth (1000)',
    );
  });
});

describe('docker ps --format', () => {
  const rows = [
    { ID: 'a87ecb4f327c', Image: 'ubuntu', Command: '/bin/sh -c #(nop) MA', Labels: 'com.Docker.swarm.node=ubuntu' },
    { ID: '01946d9d34d8', Image: 'busybox', Command: '/bin/sh -c #(nop) MA', Labels: '' },
  ];

  it('{{.ID}}: {{.Command}}', () => {
    const t = parseTemplate(stripTable('{{.ID}}: {{.Command}}').format);
    expect(rows.map((r) => t.execute(r)).join('\n')).toBe('a87ecb4f327c: /bin/sh -c #(nop) MA\n01946d9d34d8: /bin/sh -c #(nop) MA');
  });

  it('table {{.ID}}\\t{{.Image}}: header from headerFuncs, rows through the tabwriter', () => {
    const { table, format } = stripTable('table {{.ID}}\\t{{.Image}}');
    expect(table).toBe(true);
    expect(format).toBe('{{.ID}}\t{{.Image}}');
    const w = new TabWriter(dockerTableOptions);
    w.write(parseTemplate(format, { funcs: headerFuncs }).execute({ ID: 'CONTAINER ID', Image: 'IMAGE' }) + '\n');
    const t = parseTemplate(format);
    for (const r of rows) w.write(t.execute(r) + '\n');
    expect(w.flush()).toBe(
      'CONTAINER ID        IMAGE\n' + 'a87ecb4f327c        ubuntu\n' + '01946d9d34d8        busybox\n',
    );
  });

  it('header functions pass the column title through', () => {
    const { format } = stripTable('table {{upper .ID}}\\t{{truncate .Image 3}}\\t{{json .Labels}}');
    expect(parseTemplate(format, { funcs: headerFuncs }).execute({ ID: 'CONTAINER ID', Image: 'IMAGE', Labels: 'LABELS' })).toBe(
      'CONTAINER ID\tIMAGE\tLABELS',
    );
  });

  it('detects the table prefix as docker does', () => {
    expect(isTableFormat('table {{.ID}}')).toBe(true);
    expect(isTableFormat('table')).toBe(true);
    expect(isTableFormat('{{.ID}} table')).toBe(false);
    expect(stripTable('  {{.ID}}\\n  ')).toEqual({ table: false, format: '{{.ID}}\n' });
  });
});

describe("docker/cli's template function tests", () => {
  it('join (split . ":") "/"', () => {
    expect(render('{{join (split . ":") "/"}}', 'text:with:colon')).toBe('text/with/colon');
  });

  it('this is a {{ . }}', () => {
    expect(render('this is a {{ . }}', 'string', { name: 'foo' })).toBe('this is a string');
  });

  const source = 'tupx5xzf6hvsrhnruz5cr8gwp';
  it.each([
    ['{{truncate . 5}}', 'tupx5'],
    ['{{truncate . 25}}', source],
    ['{{truncate . 30}}', source],
    ['{{pad . 3 3}}', `   ${source}   `],
  ])('%s', (text, expected) => {
    const t = parseTemplate(text);
    expect(t.execute(source)).toBe(expected);
    expect(t.execute('')).toBe('');
    expect(() => t.execute(null)).toThrow('invalid value; expected string');
  });

  it.each(['{{ json .}}', '{{ split . ","}}', '{{ join . ","}}', '{{ title .}}', '{{ lower .}}', '{{ upper .}}', '{{ truncate . 2}}'])(
    'header function %s passes its input through',
    (text) => {
      expect(parseTemplate(text, { funcs: headerFuncs }).execute('hello world')).toBe('hello world');
    },
  );

  it('json escapes > as json.Marshal does (docker 1.7; docker/cli since #32120 does not)', () => {
    expect(render('{{json .Ports}}', { Ports: '0.0.0.0:2->8/udp' })).toBe('"0.0.0.0:2-\\u003e8/udp"');
  });
});
