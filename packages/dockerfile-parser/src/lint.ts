// The best practices of the book's chapter 8 (and the pitfalls its chapter 7 points out) as lint rules.
import type { Dockerfile, Instruction } from './ast.js';
import { LINT_RULES, type Finding, type LintContext } from './lint-rules.js';

export type Severity = 'error' | 'warning' | 'info';

export interface LintFinding {
  /** The rule's ID, e.g. BP-RUN-2. */
  rule: string;
  severity: Severity;
  message: string;
  line: number;
  endLine: number;
}

export interface LintOptions {
  /** Rule IDs to skip. */
  ignore?: readonly string[];
}

/** The instructions from one FROM to the next (a leading block before any FROM is its own stage). */
function stages(instructions: readonly Instruction[]): Instruction[][] {
  const out: Instruction[][] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM' || out.length === 0) out.push([]);
    out[out.length - 1]!.push(instruction);
  }
  return out;
}

export function lint(ast: Dockerfile, options: LintOptions = {}): LintFinding[] {
  const ignore = new Set(options.ignore ?? []);
  const context: LintContext = { ast, stages: stages(ast.instructions) };
  const findings: LintFinding[] = [];
  for (const rule of LINT_RULES) {
    if (ignore.has(rule.id)) continue;
    for (const finding of rule.check(context)) findings.push(toFinding(rule.id, rule.severity, finding));
  }
  return findings.sort((a, b) => a.line - b.line || a.rule.localeCompare(b.rule));
}

function toFinding(rule: string, severity: Severity, { at, message }: Finding): LintFinding {
  return { rule, severity, message, line: at.startLine, endLine: at.endLine };
}

export { LINT_RULES };
