export { SHORT_ID_LENGTH, generateId, isFullId, shortId } from './stringid.js';
export { TruncIndex, TruncIndexError } from './truncindex.js';
