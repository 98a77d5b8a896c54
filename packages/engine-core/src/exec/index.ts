export { ExecInstance, ExecStore, type ExecContainerContext, type ExecProcess } from './exec.js';
