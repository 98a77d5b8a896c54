// The S-expression text Docker's parser prints (BuildKit parser.Node.Dump, as the `dockerfile-dump` tool shows it).
import type { Dockerfile, Instruction } from './ast.js';
import { goQuote, goQuoteList, goTrimSpace } from './go-text.js';

export function dumpInstruction(instruction: Instruction): string {
  let s = instruction.rawKeyword.toLowerCase();
  if (instruction.flags.length > 0) s += ' ' + goQuoteList(instruction.flags);
  if (instruction.subInstruction !== undefined) s += ' (' + dumpInstruction(instruction.subInstruction) + ')';
  for (const arg of instruction.args) s += ' ' + goQuote(arg);
  return goTrimSpace(s);
}

/** One `(instruction …)` line per instruction, newline-terminated. */
export function dump(ast: Dockerfile): string {
  return goTrimSpace(ast.instructions.map((i) => '(' + dumpInstruction(i) + ')').join('\n')) + '\n';
}
