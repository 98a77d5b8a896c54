export type { Comment, Directive, Dockerfile, Heredoc, Instruction, KeyValue, ParseWarning } from './ast.js';
export { DockerfileParseError, ShellExpansionError } from './errors.js';
export { parse, type ParseOptions } from './parser.js';
export { dump, dumpInstruction } from './dump.js';
export { INSTRUCTIONS } from './instructions.js';
export { chompHeredocContent, parseHeredoc } from './heredoc.js';
export {
  expandWord,
  splitWords,
  ShellLex,
  type ShellEnv,
  type ShellLexOptions,
  type ShellWordResult,
} from './shell-lex.js';
export { lint, LINT_RULES, type LintFinding, type LintOptions, type Severity } from './lint.js';
export type { LintRule } from './lint-rules.js';
export { fromStage, parseFlags, type FlagKind, type FlagSpec, type FlagValues, type Stage } from './instruction-views.js';
