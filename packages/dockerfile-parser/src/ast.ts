// The parsed Dockerfile. Field meanings follow BuildKit's parser.Node so that `dump` can print
// exactly what Docker prints, with typed views (key/value pairs, sub-instruction) on top.

/** A here-document attached to RUN/COPY/ADD (`RUN <<EOF … EOF`). */
export interface Heredoc {
  /** The terminator word, quotes removed. */
  name: string;
  /** `3<<EOF` → 3; 0 when not given. */
  fileDescriptor: number;
  /** False when any part of the terminator was quoted (`<<'EOF'`): the body is not variable-expanded. */
  expand: boolean;
  /** `<<-EOF`: leading tabs are stripped from the body (see chompHeredocContent) and the terminator. */
  chomp: boolean;
  /** The body exactly as written, each line with its line ending. */
  content: string;
}

/**
 * One pair, quotes and escapes still in (expand them with expandWord). ENV/LABEL: `key value`
 * (legacy form, separator "") or `key=value` (separator "="). ARG: `name=default` (separator "=")
 * or a bare `name` without a default (separator "", value "").
 */
export interface KeyValue {
  key: string;
  value: string;
  separator: '' | '=';
}

export interface Instruction {
  /** The instruction word in upper case: RUN, COPY, … */
  keyword: string;
  /** The instruction word as written. */
  rawKeyword: string;
  /** The logical line: continuation lines joined, comments inside it dropped, heredoc bodies not included. */
  original: string;
  /** 1-based first and last physical line (the last includes heredoc bodies). */
  startLine: number;
  endLine: number;
  /** Leading `--name[=value]` words, e.g. `--from=build`, `--chown=1:1`, `--platform=linux/amd64`. */
  flags: string[];
  /**
   * The arguments in Docker's form: exec-form array elements (json=true), or one shell-form string,
   * or a whitespace-split list (FROM, EXPOSE, ADD/COPY/VOLUME shell form), or ENV/LABEL triples
   * key, value, separator. Exactly what `dump` prints.
   */
  args: string[];
  /** True for the JSON (exec) form. */
  json: boolean;
  /** ENV and LABEL: the pairs of `args` (key, value, separator triples); ARG: one pair per argument. */
  keyValues?: KeyValue[];
  /** ONBUILD: the trigger instruction. */
  subInstruction?: Instruction;
  heredocs: Heredoc[];
  /** The comment lines directly above the instruction (Docker's PrevComment). */
  comments: string[];
}

/** A parser directive at the top of the file: `# syntax=…`, `# escape=…`, `# check=…`. */
export interface Directive {
  name: string;
  value: string;
  line: number;
}

export interface Comment {
  /** The text after `#`, trimmed. */
  text: string;
  line: number;
}

export interface ParseWarning {
  message: string;
  line: number;
  url: string;
}

export interface Dockerfile {
  instructions: Instruction[];
  directives: Directive[];
  /** Every comment line (directives excluded, heredoc bodies excluded). */
  comments: Comment[];
  warnings: ParseWarning[];
  /** `\` or `` ` `` (from `# escape=`). */
  escapeToken: string;
  /** The physical lines of the source without their line endings (for tools that point at text). */
  lines: string[];
}
