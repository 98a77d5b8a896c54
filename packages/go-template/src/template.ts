/** Parsed templates: parse once, execute against any data. */
import { dockerFuncs } from './docker.js';
import { execute } from './exec.js';
import { TemplateError } from './errors.js';
import { builtins, type FuncMap } from './funcs.js';
import { parseTrees, type Tree } from './parse.js';
import { quote } from './quote.js';

export interface TemplateOptions {
  /** The template's name, shown in error messages (docker uses ""). */
  name?: string;
  /**
   * Functions added to Go's builtins. Defaults to docker's (json, join, split, lower, upper,
   * title, truncate, pad); pass {} for plain Go text/template.
   */
  funcs?: FuncMap;
}

export class Template {
  private constructor(
    readonly name: string,
    private readonly trees: ReadonlyMap<string, Tree>,
    private readonly funcs: FuncMap,
  ) {}

  /** Parses text; throws TemplateError with Go's message (`template: <name>:<line>: ...`). */
  static parse(text: string, options: TemplateOptions = {}): Template {
    const name = options.name ?? '';
    const funcs = options.funcs ?? dockerFuncs;
    const has = (fn: string): boolean => Object.hasOwn(funcs, fn) || Object.hasOwn(builtins, fn);
    return new Template(name, parseTrees(name, text, has), funcs);
  }

  /** Names of the templates this text defined, including itself. */
  get templateNames(): string[] {
    return [...this.trees.keys()];
  }

  /** Runs the template with data as dot; throws TemplateError (its .output holds the text produced so far). */
  execute(data: unknown): string {
    return execute({ trees: this.trees, funcs: this.funcs, builtins }, this.name, data);
  }

  /** Runs one of the templates the text defined (Go's ExecuteTemplate). */
  executeTemplate(name: string, data: unknown): string {
    if (!this.trees.has(name)) {
      throw new TemplateError(`template: no template ${quote(name)} associated with template ${quote(this.name)}`, 'exec');
    }
    return execute({ trees: this.trees, funcs: this.funcs, builtins }, name, data);
  }
}

export function parseTemplate(text: string, options?: TemplateOptions): Template {
  return Template.parse(text, options);
}

/** Parses and executes in one step. */
export function render(text: string, data: unknown, options?: TemplateOptions): string {
  return Template.parse(text, options).execute(data);
}
