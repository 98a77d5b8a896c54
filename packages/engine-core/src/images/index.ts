export { applyChanges, splitWords, type ChangeableConfig } from './changes.js';
export { commitConfig } from './commit.js';
export { filterImages, globMatch, IMAGE_FILTERS, type ImageListQuery } from './list.js';
/** FROM's name for no base image, reserved for it (the builder needs it, the graph enforces it). */
export { NO_BASE_IMAGE } from '@berth/graph-aufs';
