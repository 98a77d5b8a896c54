/** Go text/template's parser: items from lex() into trees, one per defined template. */
import { TemplateError } from './errors.js';
import { itemString, lex, type Item, type ItemType } from './lexer.js';
import type { ArgNode, BranchNode, CommandNode, EndOrElse, ListNode, Node, PipeNode } from './nodes.js';
import { quote, unquote } from './quote.js';

export interface Tree {
  name: string;
  /** The name of the top-level template whose text this tree came from (for error locations). */
  parseName: string;
  /** The full text the tree was parsed from. */
  text: string;
  root: ListNode;
}

/** Parses text into the named template and any templates it defines. */
export function parseTrees(name: string, text: string, hasFunction: (name: string) => boolean): Map<string, Tree> {
  const trees = new Map<string, Tree>();
  new Parser(name, name, text, lex(text), hasFunction, trees).parseTop();
  return trees;
}

function isMarker(n: Node | EndOrElse): n is EndOrElse {
  return n.type === 'end' || n.type === 'else';
}

function isEmptyList(list: ListNode): boolean {
  return list.nodes.every((n) => (n.type === 'text' ? n.text.trim() === '' : n.type === 'comment'));
}

class Parser {
  private i = 0;
  private vars: string[] = ['$'];
  private rangeDepth = 0;
  private lastLine = 1;

  constructor(
    private readonly name: string,
    private readonly parseName: string,
    private readonly text: string,
    private readonly items: Item[],
    private readonly hasFunction: (name: string) => boolean,
    private readonly trees: Map<string, Tree>,
    start = 0,
  ) {
    this.i = start;
  }

  /** The position reached, shared back after a nested {{define}} or {{block}} body. */
  get index(): number {
    return this.i;
  }

  private errorf(msg: string): never {
    throw new TemplateError(`template: ${this.parseName}:${this.lastLine}: ${msg}`, 'parse');
  }

  private next(): Item {
    const item = this.items[this.i] ?? this.items[this.items.length - 1];
    if (!item) this.errorf('unexpected EOF');
    if (this.i < this.items.length) this.i++;
    this.lastLine = item.line;
    return item;
  }

  private backup(n = 1): void {
    this.i -= n;
  }

  private peek(): Item {
    const item = this.next();
    this.backup();
    return item;
  }

  private nextNonSpace(): Item {
    let item: Item;
    do item = this.next();
    while (item.typ === 'space');
    return item;
  }

  private peekNonSpace(): Item {
    const item = this.nextNonSpace();
    this.backup();
    return item;
  }

  private expect(typ: ItemType, context: string): Item {
    const item = this.nextNonSpace();
    if (item.typ !== typ) this.unexpected(item, context);
    return item;
  }

  /** Go 1.4's report (the one docker 1.7 printed): "unexpected <item> in <context>". */
  private unexpected(item: Item, context: string): never {
    this.errorf(`unexpected ${itemString(item)} in ${context}`);
  }

  private addTree(name: string, root: ListNode): void {
    const existing = this.trees.get(name);
    if (existing && !isEmptyList(existing.root) && !isEmptyList(root)) {
      this.errorf(`template: multiple definition of template ${quote(name)}`);
    }
    if (!existing || isEmptyList(existing.root)) {
      this.trees.set(name, { name, parseName: this.parseName, text: this.text, root });
    }
  }

  parseTop(): void {
    const root: ListNode = { type: 'list', pos: this.peek().pos, nodes: [] };
    while (this.peek().typ !== 'EOF') {
      if (this.peek().typ === 'leftDelim') {
        const delim = this.next();
        if (this.nextNonSpace().typ === 'define') {
          this.parseDefinition();
          continue;
        }
        this.i = this.items.indexOf(delim);
      }
      const n = this.textOrAction();
      if (isMarker(n)) this.errorf(`unexpected {{${n.type}}}`);
      else root.nodes.push(n);
    }
    this.addTree(this.name, root);
  }

  /** {{define "name"}} ... {{end}}: a separate tree; variables do not carry over. */
  private parseDefinition(): void {
    const context = 'define clause';
    const nameItem = this.nextNonSpace();
    if (nameItem.typ !== 'string' && nameItem.typ !== 'rawString') this.unexpected(nameItem, context);
    const name = this.unquoteItem(nameItem);
    this.expect('rightDelim', context);
    this.parseBody(name, context);
  }

  /** Parses a {{define}} or {{block}} body up to its {{end}} and registers it as a tree. */
  private parseBody(name: string, context: string): void {
    const sub = new Parser(name, this.parseName, this.text, this.items, this.hasFunction, this.trees, this.i);
    const [list, end] = sub.itemList();
    this.i = sub.index;
    this.lastLine = sub.lastLine;
    if (end.type !== 'end') this.errorf(`unexpected {{${end.type}}} in ${context}`);
    this.addTree(name, list);
  }

  private unquoteItem(item: Item): string {
    try {
      return unquote(item.val);
    } catch {
      this.errorf('invalid syntax');
    }
  }

  itemList(): [ListNode, EndOrElse] {
    const list: ListNode = { type: 'list', pos: this.peekNonSpace().pos, nodes: [] };
    while (this.peekNonSpace().typ !== 'EOF') {
      const n = this.textOrAction();
      if (isMarker(n)) return [list, n];
      else list.nodes.push(n);
    }
    this.errorf('unexpected EOF');
  }

  private textOrAction(): Node | EndOrElse {
    const token = this.nextNonSpace();
    switch (token.typ) {
      case 'text':
        return { type: 'text', pos: token.pos, text: token.val };
      case 'leftDelim':
        return this.action();
      case 'comment':
        return { type: 'comment', pos: token.pos, text: token.val };
      default:
        this.unexpected(token, 'input');
    }
  }

  private action(): Node | EndOrElse {
    const token = this.nextNonSpace();
    switch (token.typ) {
      case 'block':
        return this.blockControl();
      case 'break':
      case 'continue':
        return this.loopControl(token);
      case 'else':
        return this.elseControl();
      case 'end':
        return { type: 'end', pos: this.expect('rightDelim', 'end').pos, line: token.line };
      case 'if':
        return this.parseControl('if', true);
      case 'range':
        return this.parseControl('range', false);
      case 'template':
        return this.templateControl();
      case 'with':
        return this.parseControl('with', true);
    }
    this.backup();
    const start = this.peek();
    // Variables declared by an action persist until the enclosing {{end}}.
    return { type: 'action', pos: start.pos, line: start.line, pipe: this.pipeline('command', 'rightDelim') };
  }

  private loopControl(token: Item): Node {
    const next = this.nextNonSpace();
    if (next.typ !== 'rightDelim') this.unexpected(next, `{{${token.val}}}`);
    if (this.rangeDepth === 0) this.errorf(`{{${token.val}}} outside {{range}}`);
    return { type: token.typ === 'break' ? 'break' : 'continue', pos: token.pos, line: token.line };
  }

  private elseControl(): EndOrElse {
    const peek = this.peekNonSpace();
    // "else if" and "else with" leave the keyword pending for parseControl.
    if (peek.typ === 'if' || peek.typ === 'with') return { type: 'else', pos: peek.pos, line: peek.line };
    const token = this.expect('rightDelim', 'else');
    return { type: 'else', pos: token.pos, line: token.line };
  }

  private parseControl(kind: 'if' | 'range' | 'with', allowElseChain: boolean): BranchNode {
    const mark = this.vars.length;
    const pipe = this.pipeline(kind, 'rightDelim');
    if (kind === 'range') this.rangeDepth++;
    const [list, next] = this.itemList();
    if (kind === 'range') this.rangeDepth--;
    let elseList: ListNode | null = null;
    if (next.type === 'else') {
      const pending = this.peek().typ;
      if (allowElseChain && pending === kind) {
        // {{if a}}x{{else if b}}y{{end}} is {{if a}}x{{else}}{{if b}}y{{end}}{{end}}: one {{end}} closes both.
        this.next();
        elseList = { type: 'list', pos: next.pos, nodes: [this.parseControl(kind, allowElseChain)] };
      } else {
        let end: EndOrElse;
        [elseList, end] = this.itemList();
        if (end.type !== 'end') this.errorf(`expected end; found {{${end.type}}}`);
      }
    }
    this.vars.length = mark;
    return { type: kind, pos: pipe.pos, line: pipe.line, pipe, list, elseList };
  }

  private blockControl(): Node {
    const context = 'block clause';
    const token = this.nextNonSpace();
    const name = this.templateName(token, context);
    const pipe = this.pipeline(context, 'rightDelim');
    this.parseBody(name, context);
    return { type: 'template', pos: token.pos, line: token.line, name, pipe };
  }

  private templateControl(): Node {
    const context = 'template clause';
    const token = this.nextNonSpace();
    const name = this.templateName(token, context);
    let pipe: PipeNode | null = null;
    if (this.nextNonSpace().typ !== 'rightDelim') {
      this.backup();
      pipe = this.pipeline(context, 'rightDelim');
    }
    return { type: 'template', pos: token.pos, line: token.line, name, pipe };
  }

  private templateName(token: Item, context: string): string {
    if (token.typ !== 'string' && token.typ !== 'rawString') this.unexpected(token, context);
    return this.unquoteItem(token);
  }

  private pipeline(context: string, end: 'rightDelim' | 'rightParen'): PipeNode {
    const start = this.peekNonSpace();
    const pipe: PipeNode = { type: 'pipe', pos: start.pos, line: start.line, isAssign: false, decl: [], cmds: [] };
    decls: for (;;) {
      const v = this.peekNonSpace();
      if (v.typ !== 'variable') break;
      this.nextNonSpace();
      const afterVariable = this.peek();
      const next = this.peekNonSpace();
      if (next.typ === 'assign' || next.typ === 'declare') {
        pipe.isAssign = next.typ === 'assign';
        this.nextNonSpace();
        pipe.decl.push(v.val);
        this.vars.push(v.val);
      } else if (next.typ === 'char' && next.val === ',') {
        this.nextNonSpace();
        pipe.decl.push(v.val);
        this.vars.push(v.val);
        if (context === 'range' && pipe.decl.length < 2) {
          const t = this.peekNonSpace().typ;
          if (t === 'variable' || t === 'rightDelim' || t === 'rightParen') continue decls;
          this.errorf('range can only initialize variables');
        }
        this.errorf(`too many declarations in ${context}`);
      } else if (afterVariable.typ === 'space') {
        // Not a declaration: put back the variable and the space after it.
        this.backup(2);
      } else {
        this.backup();
      }
      break;
    }
    for (;;) {
      const token = this.nextNonSpace();
      switch (token.typ) {
        case end:
          this.checkPipeline(pipe, context);
          return pipe;
        case 'bool':
        case 'charConstant':
        case 'complex':
        case 'dot':
        case 'field':
        case 'identifier':
        case 'number':
        case 'nil':
        case 'rawString':
        case 'string':
        case 'variable':
        case 'leftParen':
          this.backup();
          pipe.cmds.push(this.command());
          break;
        default:
          this.unexpected(token, context);
      }
    }
  }

  private checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`);
    pipe.cmds.slice(1).forEach((c, i) => {
      const t = c.args[0]?.type;
      if (t === 'bool' || t === 'dot' || t === 'nil' || t === 'number' || t === 'string') {
        this.errorf(`non executable command in pipeline stage ${i + 2}`);
      }
    });
  }

  private command(): CommandNode {
    const cmd: CommandNode = { type: 'command', pos: this.peekNonSpace().pos, args: [] };
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand) cmd.args.push(operand);
      const token = this.next();
      if (token.typ === 'space') continue;
      if (token.typ === 'rightDelim' || token.typ === 'rightParen') this.backup();
      else if (token.typ !== 'pipe') this.unexpected(token, 'operand');
      break;
    }
    if (cmd.args.length === 0) this.errorf('empty command');
    return cmd;
  }

  private operand(): ArgNode | null {
    const node = this.term();
    if (!node || this.peek().typ !== 'field') return node;
    const pos = this.peek().pos;
    const fields: string[] = [];
    while (this.peek().typ === 'field') fields.push(this.next().val.slice(1));
    switch (node.type) {
      case 'field':
        return { type: 'field', pos, ident: [...node.ident, ...fields] };
      case 'variable':
        return { type: 'variable', pos, ident: [...node.ident, ...fields] };
      case 'bool':
      case 'string':
      case 'number':
      case 'nil':
      case 'dot':
        this.errorf(`unexpected . after term ${quote(nodeText(node))}`);
      default:
        return { type: 'chain', pos, node, field: fields };
    }
  }

  private term(): ArgNode | null {
    const token = this.nextNonSpace();
    switch (token.typ) {
      case 'identifier':
        if (!this.hasFunction(token.val)) this.errorf(`function ${quote(token.val)} not defined`);
        return { type: 'identifier', pos: token.pos, ident: token.val };
      case 'dot':
        return { type: 'dot', pos: token.pos };
      case 'nil':
        return { type: 'nil', pos: token.pos };
      case 'variable':
        return this.useVar(token);
      case 'field':
        return { type: 'field', pos: token.pos, ident: [token.val.slice(1)] };
      case 'bool':
        return { type: 'bool', pos: token.pos, value: token.val === 'true' };
      case 'charConstant':
      case 'number':
      case 'complex':
        return { type: 'number', pos: token.pos, text: token.val, value: this.number(token) };
      case 'leftParen':
        return this.pipeline('parenthesized pipeline', 'rightParen');
      case 'string':
      case 'rawString':
        return { type: 'string', pos: token.pos, quoted: token.val, text: this.unquoteItem(token) };
    }
    this.backup();
    return null;
  }

  private useVar(token: Item): ArgNode {
    const ident = token.val.split('.');
    const name = ident[0] ?? '';
    if (!this.vars.includes(name)) this.errorf(`undefined variable ${quote(name)}`);
    return { type: 'variable', pos: token.pos, ident };
  }

  private number(token: Item): number | bigint {
    if (token.typ === 'charConstant') {
      try {
        return unquote(token.val).codePointAt(0) ?? 0;
      } catch {
        this.errorf(`malformed character constant: ${token.val}`);
      }
    }
    const value = parseGoNumber(token.val);
    if (value === undefined) this.errorf(`illegal number syntax: ${quote(token.val)}`);
    return value;
  }
}

function nodeText(n: ArgNode): string {
  switch (n.type) {
    case 'string':
      return n.quoted;
    case 'number':
      return n.text;
    case 'bool':
      return String(n.value);
    case 'nil':
      return 'nil';
    default:
      return '.';
  }
}

/**
 * A Go numeric literal as the template package evaluates it: an int (number, or bigint past
 * 2^53) for integer syntax, a float64 when the text has a '.', exponent or is out of int range.
 * Complex literals are not supported and report illegal syntax.
 */
export function parseGoNumber(text: string): number | bigint | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|[0-9_]+)$/.exec(text);
  if (m) {
    let digits = (m[2] ?? '').replaceAll('_', '');
    if (/^0[0-7]+$/.test(digits)) digits = '0o' + digits.slice(1);
    const big = BigInt(digits) * (m[1] === '-' ? -1n : 1n);
    if (big > 0x7fffffffffffffffn || big < -0x8000000000000000n) return undefined;
    return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
  }
  if (/^[+-]?(\d[\d_]*\.?[\d_]*|\.\d[\d_]*)([eE][+-]?\d[\d_]*)?$/.test(text)) {
    const v = Number(text.replaceAll('_', ''));
    return Number.isNaN(v) ? undefined : v;
  }
  if (/^[+-]?0[xX][0-9a-fA-F_]*\.?[0-9a-fA-F_]*[pP][+-]?[\d_]+$/.test(text)) return parseHexFloat(text.replaceAll('_', ''));
  return undefined;
}

function parseHexFloat(text: string): number | undefined {
  const m = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)[pP]([+-]?\d+)$/.exec(text);
  if (!m) return undefined;
  const mant = parseInt((m[2] ?? '') + (m[3] ?? '') || '0', 16);
  const v = mant * 2 ** (Number(m[4]) - 4 * (m[3] ?? '').length);
  return m[1] === '-' ? -v : v;
}
