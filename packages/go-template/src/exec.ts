/** Go text/template's executor: walks a parse tree against data, producing text. */
import { TemplateError } from './errors.js';
import { formatV } from './fmt.js';
import { toSpec, type FuncMap, type FuncSpec, type ParamType } from './funcs.js';
import { argString, nodeString, type ArgNode, type BranchNode, type CommandNode, type Node, type PipeNode } from './nodes.js';
import type { Tree } from './parse.js';
import { quote } from './quote.js';
import { isTrue, kindOf, sortedKeys, typeName, type GoMap } from './value.js';

/** Go's limit on nested {{template}} calls; the value Go uses where stacks are small (wasm). */
export const maxExecDepth = 1000;

/** No value from a previous pipeline stage. */
const MISSING: unique symbol = Symbol('missing');
type Final = unknown;

const BREAK: unique symbol = Symbol('break');
const CONTINUE: unique symbol = Symbol('continue');

interface Variable {
  name: string;
  value: unknown;
  /** The value's static Go type is interface{} (it came out of a map, slice or range). */
  iface: boolean;
}

export interface ExecContext {
  trees: ReadonlyMap<string, Tree>;
  funcs: FuncMap;
  builtins: FuncMap;
}

type AtNode = Node | CommandNode | ArgNode;

function goTypeName(t: ParamType): string {
  return t === 'any' ? 'interface {}' : t === 'value' ? 'reflect.Value' : t;
}

/** Executes the named tree with data as dot; returns the text or throws TemplateError. */
export function execute(ctx: ExecContext, name: string, data: unknown): string {
  const out: string[] = [];
  const tree = ctx.trees.get(name);
  try {
    if (!tree) {
      throw new TemplateError(`template: ${name}: ${quote(name)} is an incomplete or empty template`, 'exec');
    }
    // Go's Execute(nil) starts from the invalid value, not a nil interface.
    const dot = data === null ? undefined : data;
    new State(ctx, tree, [{ name: '$', value: dot, iface: false }], 0, out).walk(dot, false, tree.root);
  } catch (e) {
    if (e instanceof TemplateError) e.output = out.join('');
    throw e;
  }
  return out.join('');
}

class State {
  private node: AtNode | null = null;

  constructor(
    private readonly ctx: ExecContext,
    private readonly tree: Tree,
    private readonly vars: Variable[],
    private readonly depth: number,
    private readonly out: string[],
  ) {}

  private at(node: AtNode): void {
    this.node = node;
  }

  private errorf(msg: string): never {
    const name = this.tree.name;
    if (!this.node) throw new TemplateError(`template: ${name}: ${msg}`, 'exec');
    const before = this.tree.text.slice(0, this.node.pos);
    const lastNL = before.lastIndexOf('\n');
    const line = before.split('\n').length;
    const col = Buffer.byteLength(before.slice(lastNL + 1), 'utf8');
    const context = nodeString(this.node);
    throw new TemplateError(
      `template: ${this.tree.parseName}:${line}:${col}: executing ${quote(name)} at <${context}>: ${msg}`,
      'exec',
    );
  }

  // --- variables ---

  private push(name: string, value: unknown, iface: boolean): void {
    this.vars.push({ name, value, iface });
  }

  private popTo(mark: number): void {
    this.vars.length = mark;
  }

  private setVar(name: string, value: unknown, iface: boolean): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const v = this.vars[i];
      if (v && v.name === name) {
        v.value = value;
        v.iface = iface;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }

  private setTopVar(n: number, value: unknown, iface: boolean): void {
    const v = this.vars[this.vars.length - n];
    if (v) {
      v.value = value;
      v.iface = iface;
    }
  }

  private variable(name: string): Variable {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const v = this.vars[i];
      if (v && v.name === name) return v;
    }
    this.errorf(`undefined variable: ${name}`);
  }

  // --- statements ---

  walk(dot: unknown, dotIface: boolean, node: Node): void {
    this.at(node);
    switch (node.type) {
      case 'action': {
        const val = this.evalPipeline(dot, dotIface, node.pipe);
        if (node.pipe.decl.length === 0) this.printValue(node, val);
        return;
      }
      case 'break':
        throw BREAK;
      case 'continue':
        throw CONTINUE;
      case 'comment':
        return;
      case 'if':
      case 'with': {
        const mark = this.vars.length;
        const val = this.evalPipeline(dot, dotIface, node.pipe);
        if (isTrue(val)) {
          if (node.type === 'with') this.walk(val, false, node.list);
          else this.walk(dot, dotIface, node.list);
        } else if (node.elseList) {
          this.walk(dot, dotIface, node.elseList);
        }
        this.popTo(mark);
        return;
      }
      case 'list':
        for (const n of node.nodes) this.walk(dot, dotIface, n);
        return;
      case 'range':
        this.walkRange(dot, dotIface, node);
        return;
      case 'template':
        this.walkTemplate(dot, dotIface, node);
        return;
      case 'text':
        this.out.push(node.text);
        return;
    }
  }

  private walkRange(dot: unknown, dotIface: boolean, r: BranchNode): void {
    this.at(r);
    const outer = this.vars.length;
    const val = this.evalPipeline(dot, dotIface, r.pipe);
    const mark = this.vars.length;
    const { decl, isAssign } = r.pipe;
    const oneIteration = (index: unknown, elem: unknown, elemIface: boolean): void => {
      if (decl.length > 0) {
        if (isAssign) this.setVar(decl[0] ?? '', decl.length > 1 ? index : elem, decl.length === 1 && elemIface);
        else this.setTopVar(1, elem, elemIface);
      }
      if (decl.length > 1) {
        if (isAssign) this.setVar(decl[1] ?? '', elem, elemIface);
        else this.setTopVar(2, index, false);
      }
      try {
        this.walk(elem, elemIface, r.list);
      } catch (e) {
        if (e !== CONTINUE) throw e;
      } finally {
        this.popTo(mark);
      }
    };
    try {
      const kind = kindOf(val);
      if (kind === 'slice' && (val as unknown[]).length > 0) {
        (val as unknown[]).forEach((elem, i) => oneIteration(i, elem, true));
        return;
      }
      if (kind === 'map' && Object.keys(val as GoMap).length > 0) {
        for (const k of sortedKeys(val as GoMap)) oneIteration(k, (val as GoMap)[k], true);
        return;
      }
      if (kind === 'int') {
        if (decl.length > 1) this.errorf(`can't use ${formatV(val)} to iterate over more than one variable`);
        const n = Number(val);
        for (let i = 0; i < n; i++) oneIteration(i, i, false);
        if (n > 0) return;
      } else if (kind !== 'invalid' && kind !== 'slice' && kind !== 'map') {
        this.errorf(`range can't iterate over ${formatV(val)}`);
      }
      if (r.elseList) this.walk(dot, dotIface, r.elseList);
    } catch (e) {
      if (e !== BREAK) throw e;
    } finally {
      this.popTo(outer);
    }
  }

  private walkTemplate(dot: unknown, dotIface: boolean, t: Extract<Node, { type: 'template' }>): void {
    this.at(t);
    const tree = this.ctx.trees.get(t.name);
    if (!tree) this.errorf(`template ${quote(t.name)} not defined`);
    if (this.depth === maxExecDepth) this.errorf(`exceeded maximum template depth (${maxExecDepth})`);
    const newDot = t.pipe ? this.evalPipeline(dot, dotIface, t.pipe) : undefined;
    // No dynamic scoping: the invoked template sees only $ = its dot.
    new State(this.ctx, tree, [{ name: '$', value: newDot, iface: false }], this.depth + 1, this.out).walk(newDot, false, tree.root);
  }

  private printValue(node: Node, v: unknown): void {
    this.at(node);
    if (v === undefined) {
      this.out.push('<no value>');
      return;
    }
    if (typeof v === 'function') this.errorf(`can't print ${nodeString(node)} of type ${typeName(v)}`);
    this.out.push(formatV(v));
  }

  // --- expressions ---

  private evalPipeline(dot: unknown, dotIface: boolean, pipe: PipeNode): unknown {
    this.at(pipe);
    let value: Final = MISSING;
    for (const cmd of pipe.cmds) {
      value = this.evalCommand(dot, dotIface, cmd, value);
      // An interface{} holding nil has no dynamic value: Go digs it out to an invalid value.
      if (value === null) value = undefined;
    }
    for (const name of pipe.decl) {
      if (pipe.isAssign) this.setVar(name, value, false);
      else this.push(name, value, false);
    }
    return value;
  }

  private notAFunction(args: ArgNode[], final: Final): void {
    const first = args[0];
    if (first && (args.length > 1 || final !== MISSING)) this.errorf(`can't give argument to non-function ${argString(first)}`);
  }

  private evalCommand(dot: unknown, dotIface: boolean, cmd: CommandNode, final: Final): unknown {
    const first = cmd.args[0];
    if (!first) this.errorf('empty command');
    switch (first.type) {
      case 'field':
        this.at(first);
        return this.evalFieldChain(dot, dotIface, first.ident, cmd.args, final);
      case 'chain':
        return this.evalChain(dot, dotIface, first, cmd.args, final);
      case 'identifier':
        return this.evalFunction(dot, dotIface, first, cmd, cmd.args, final);
      case 'pipe':
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, dotIface, first);
      case 'variable':
        return this.evalVariable(first, cmd.args, final);
    }
    this.at(first);
    this.notAFunction(cmd.args, final);
    switch (first.type) {
      case 'bool':
        return first.value;
      case 'dot':
        return dot;
      case 'nil':
        this.errorf('nil is not a command');
      case 'number':
        return first.value;
      case 'string':
        return first.text;
    }
  }

  private evalChain(dot: unknown, dotIface: boolean, chain: Extract<ArgNode, { type: 'chain' }>, args: ArgNode[], final: Final): unknown {
    this.at(chain);
    if (chain.node.type === 'nil') this.errorf(`indirection through explicit nil in ${argString(chain)}`);
    const receiver = this.evalArg(dot, dotIface, 'value', chain.node);
    return this.evalFieldChain(receiver, false, chain.field, args, final);
  }

  private evalVariable(v: Extract<ArgNode, { type: 'variable' }>, args: ArgNode[], final: Final): unknown {
    this.at(v);
    const variable = this.variable(v.ident[0] ?? '$');
    if (v.ident.length === 1) {
      this.notAFunction(args, final);
      return variable.value;
    }
    return this.evalFieldChain(variable.value, variable.iface, v.ident.slice(1), args, final);
  }

  private evalFieldChain(
    receiver: unknown,
    iface: boolean,
    ident: string[],
    args: ArgNode[],
    final: Final,
  ): unknown {
    let cur = receiver;
    let curIface = iface;
    ident.forEach((name, i) => {
      const last = i === ident.length - 1;
      cur = this.evalField(name, last ? args : [], last ? final : MISSING, cur, curIface);
      curIface = true;
    });
    return cur;
  }

  private evalField(fieldName: string, args: ArgNode[], final: Final, receiver: unknown, iface: boolean): unknown {
    // A missing value has no fields: the result is missing too (missingkey=default).
    if (receiver === undefined) return undefined;
    const typ = iface ? 'interface {}' : typeName(receiver);
    if (receiver === null) this.errorf(`nil pointer evaluating ${typ}.${fieldName}`);
    const hasArgs = args.length > 1 || final !== MISSING;
    const kind = kindOf(receiver);
    if (kind === 'map') {
      if (hasArgs) this.errorf(`${fieldName} is not a method but has arguments`);
      const m = receiver as GoMap;
      return Object.hasOwn(m, fieldName) ? m[fieldName] : undefined;
    }
    if (kind === 'struct' && Object.hasOwn(receiver as GoMap, fieldName)) {
      if (hasArgs) this.errorf(`${fieldName} has arguments but cannot be invoked as function`);
      return (receiver as GoMap)[fieldName];
    }
    this.errorf(`can't evaluate field ${fieldName} in type ${typ}`);
  }

  private evalFunction(
    dot: unknown,
    dotIface: boolean,
    node: Extract<ArgNode, { type: 'identifier' }>,
    cmd: AtNode,
    args: ArgNode[],
    final: Final,
  ): unknown {
    this.at(node);
    const name = node.ident;
    const user = Object.hasOwn(this.ctx.funcs, name) ? this.ctx.funcs[name] : undefined;
    const builtin = Object.hasOwn(this.ctx.builtins, name) ? this.ctx.builtins[name] : undefined;
    const fn = user ?? builtin;
    if (!fn) this.errorf(`${quote(name)} is not a defined function`);
    return this.evalCall(dot, dotIface, toSpec(fn), user === undefined, cmd, name, args, final);
  }

  private evalCall(
    dot: unknown,
    dotIface: boolean,
    fn: FuncSpec,
    isBuiltin: boolean,
    node: AtNode,
    name: string,
    allArgs: ArgNode[],
    final: Final,
  ): unknown {
    const args = allArgs.slice(1);
    const numIn = args.length + (final !== MISSING ? 1 : 0);
    const numFixed = fn.params.length;
    if (fn.variadic !== undefined) {
      if (numIn < numFixed) this.errorf(`wrong number of args for ${name}: want at least ${numFixed} got ${args.length}`);
    } else if (numIn !== numFixed) {
      this.errorf(`wrong number of args for ${name}: want ${numFixed} got ${numIn}`);
    }
    if (isBuiltin && (name === 'and' || name === 'or')) {
      // Short-circuit: stop at the first false (and) or true (or) argument.
      let v: unknown;
      for (const arg of args) {
        v = this.evalArg(dot, dotIface, 'value', arg);
        if (isTrue(v) === (name === 'or')) return v;
      }
      if (final !== MISSING) v = this.validateType(final, 'value');
      return v;
    }
    const paramType = (i: number): ParamType => (i < numFixed ? (fn.params[i] ?? 'any') : (fn.variadic ?? 'any'));
    const argv = args.map((arg, i) => this.evalArg(dot, dotIface, paramType(i), arg));
    if (final !== MISSING) argv.push(this.validateType(final, paramType(numIn - 1)));
    try {
      return (fn.fn as (...a: unknown[]) => unknown)(...argv);
    } catch (e) {
      if (e instanceof TemplateError) throw e;
      this.at(node);
      this.errorf(`error calling ${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private evalArg(dot: unknown, dotIface: boolean, typ: ParamType, n: ArgNode): unknown {
    this.at(n);
    switch (n.type) {
      case 'dot':
        return this.validateType(dot, typ);
      case 'nil':
        if (typ === 'any' || typ === '[]string') return null;
        // Builtins take reflect.Value: nil arrives as the invalid value.
        if (typ === 'value') return undefined;
        this.errorf(`cannot assign nil to ${goTypeName(typ)}`);
      case 'field':
        return this.validateType(this.evalFieldChain(dot, dotIface, n.ident, [n], MISSING), typ);
      case 'variable':
        return this.validateType(this.evalVariable(n, [], MISSING), typ);
      case 'pipe':
        return this.validateType(this.evalPipeline(dot, dotIface, n), typ);
      case 'identifier':
        return this.validateType(this.evalFunction(dot, dotIface, n, n, [n], MISSING), typ);
      case 'chain':
        return this.validateType(this.evalChain(dot, dotIface, n, [], MISSING), typ);
    }
    switch (typ) {
      case 'bool':
        if (n.type === 'bool') return n.value;
        this.errorf(`expected bool; found ${argString(n)}`);
      case 'string':
        if (n.type === 'string') return n.text;
        this.errorf(`expected string; found ${argString(n)}`);
      case 'int':
        if (n.type === 'number' && kindOf(n.value) === 'int') return n.value;
        this.errorf(`expected integer; found ${argString(n)}`);
      case 'float64':
        if (n.type === 'number') return Number(n.value);
        this.errorf(`expected float; found ${argString(n)}`);
      case '[]string':
        this.errorf(`can't handle ${argString(n)} for arg of type []string`);
      default:
        return n.type === 'bool' ? n.value : n.type === 'number' ? n.value : n.text;
    }
  }

  /** Converts an evaluated value to a parameter type, with Go's reports for a mismatch. */
  private validateType(value: unknown, typ: ParamType): unknown {
    if (value === undefined) {
      if (typ === 'value') return undefined;
      if (typ === 'any' || typ === '[]string') return null;
      this.errorf(`invalid value; expected ${goTypeName(typ)}`);
    }
    const kind = kindOf(value);
    const ok =
      typ === 'any' ||
      typ === 'value' ||
      (typ === 'string' && kind === 'string') ||
      (typ === 'int' && kind === 'int') ||
      (typ === 'bool' && kind === 'bool') ||
      (typ === 'float64' && (kind === 'float' || kind === 'int')) ||
      // Untyped data holds []interface {}; a slice of strings stands in for []string.
      (typ === '[]string' && (kind === 'nil' || (kind === 'slice' && (value as unknown[]).every((e) => typeof e === 'string'))));
    if (!ok) this.errorf(`wrong type for value; expected ${goTypeName(typ)}; got ${typeName(value)}`);
    return typ === 'float64' ? Number(value) : value;
  }
}
