export { State, type ExitStatus, type StateRecord, type WaitCondition } from './state.js';
