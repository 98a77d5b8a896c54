export { psCommand, summaryPorts } from './summary.js';
