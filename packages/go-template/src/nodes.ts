/** The parse tree of a template, mirroring Go's text/template/parse nodes. */
import { quote } from './quote.js';

export type ArgNode =
  | { type: 'field'; pos: number; ident: string[] }
  | { type: 'variable'; pos: number; ident: string[] }
  | { type: 'chain'; pos: number; node: ArgNode; field: string[] }
  | { type: 'identifier'; pos: number; ident: string }
  | { type: 'dot'; pos: number }
  | { type: 'nil'; pos: number }
  | { type: 'bool'; pos: number; value: boolean }
  | { type: 'number'; pos: number; text: string; value: number | bigint }
  | { type: 'string'; pos: number; quoted: string; text: string }
  | PipeNode;

export interface CommandNode {
  type: 'command';
  pos: number;
  args: ArgNode[];
}

export interface PipeNode {
  type: 'pipe';
  pos: number;
  line: number;
  isAssign: boolean;
  decl: string[];
  cmds: CommandNode[];
}

export interface ListNode {
  type: 'list';
  pos: number;
  nodes: Node[];
}

export interface BranchNode {
  type: 'if' | 'range' | 'with';
  pos: number;
  line: number;
  pipe: PipeNode;
  list: ListNode;
  elseList: ListNode | null;
}

export type Node =
  | ListNode
  | BranchNode
  | { type: 'text'; pos: number; text: string }
  | { type: 'action'; pos: number; line: number; pipe: PipeNode }
  | { type: 'comment'; pos: number; text: string }
  | { type: 'template'; pos: number; line: number; name: string; pipe: PipeNode | null }
  | { type: 'break' | 'continue'; pos: number; line: number };

/** Internal markers returned by the parser for {{end}} and {{else}}. */
export type EndOrElse = { type: 'end' | 'else'; pos: number; line: number };

export function argString(n: ArgNode): string {
  switch (n.type) {
    case 'field':
      return '.' + n.ident.join('.');
    case 'variable':
      return n.ident.join('.');
    case 'chain':
      return (n.node.type === 'pipe' ? `(${pipeString(n.node)})` : argString(n.node)) + '.' + n.field.join('.');
    case 'identifier':
      return n.ident;
    case 'dot':
      return '.';
    case 'nil':
      return 'nil';
    case 'bool':
      return String(n.value);
    case 'number':
      return n.text;
    case 'string':
      return n.quoted;
    case 'pipe':
      return pipeString(n);
  }
}

export function commandString(c: CommandNode): string {
  return c.args.map((a) => (a.type === 'pipe' ? `(${pipeString(a)})` : argString(a))).join(' ');
}

export function pipeString(p: PipeNode): string {
  const decl = p.decl.length > 0 ? p.decl.join(', ') + (p.isAssign ? ' = ' : ' := ') : '';
  return decl + p.cmds.map(commandString).join(' | ');
}

/** Go's Node.String(), used in execution error context. */
export function nodeString(n: Node | CommandNode | ArgNode): string {
  switch (n.type) {
    case 'list':
      return n.nodes.map(nodeString).join('');
    case 'text':
      return n.text;
    case 'comment':
      return `{{${n.text}}}`;
    case 'action':
      return `{{${pipeString(n.pipe)}}}`;
    case 'if':
    case 'range':
    case 'with': {
      const tail = n.elseList ? `{{else}}${nodeString(n.elseList)}` : '';
      return `{{${n.type} ${pipeString(n.pipe)}}}${nodeString(n.list)}${tail}{{end}}`;
    }
    case 'template':
      return `{{template ${quote(n.name)}${n.pipe ? ' ' + pipeString(n.pipe) : ''}}}`;
    case 'break':
    case 'continue':
      return `{{${n.type}}}`;
    case 'command':
      return commandString(n);
    default:
      return argString(n);
  }
}
