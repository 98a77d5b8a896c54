export { Engine, parseSignal, type AttachStreams, type CommitRequest, type EngineOptions } from './engine.js';
export { EngineImages, type ImageUser } from './images.js';
export type { ContainerRecord } from './record.js';
export { formatCpuTime, formatStime, formatTty } from './top.js';
