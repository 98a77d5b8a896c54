export { applyChanges, splitWords, type ChangeableConfig } from './changes.js';
export { commitConfig } from './commit.js';
export { filterImages, globMatch, IMAGE_FILTERS, type ImageListQuery } from './list.js';
