export { ExecInstance, ExecStore, type ExecContainerContext, type ExecProcess } from './exec.js';
export { ExecManager, type ExecHost, type ExecSession, type ExecStreams, type ExecTarget } from './manager.js';
