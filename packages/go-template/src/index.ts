export { dockerFuncs, headerFuncs, isTableFormat, stripTable, title } from './docker.js';
export { FuncError, TemplateError } from './errors.js';
export { sprint, sprintf, sprintln } from './fmt.js';
export { builtins, spec, type FuncMap, type FuncSpec, type ParamType, type TemplateFunction } from './funcs.js';
export { marshal as jsonMarshal } from './json.js';
export { dockerTableOptions, TabWriter, type TabWriterOptions } from './tabwriter.js';
export { parseTemplate, render, Template, type TemplateOptions } from './template.js';
export { goStruct } from './value.js';
