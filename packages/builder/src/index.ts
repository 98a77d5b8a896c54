export { build, splitTag, type BuildOptions, type BuildOutput, type RunHostConfig } from './builder.js';
export { BuildError } from './copy.js';
export { contextPaths, dockerfileOnlyContext, looksLikeArchive, packContext, peek, type PackOptions } from './context.js';
export { IgnoreMatcher, readIgnoreFile } from './ignore.js';
export { isGitUrl } from './remote.js';
