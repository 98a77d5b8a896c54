export { PS_FILTER_KEYS, filterContainers, preparePsFilters, type PsEntry, type PsQuery } from './filters.js';
export { psCommand, summaryPorts } from './summary.js';
