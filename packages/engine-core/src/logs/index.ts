export { jsonLogPath, rotatedLogFiles } from './files.js';
export { logRecordText, parseLogLine, type LogRecord } from './record.js';
export { parseTail, readJsonLog, type LogReadOptions } from './reader.js';
export { watchLogDir, type LogWatcher } from './watch.js';
