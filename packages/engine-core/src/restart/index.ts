export {
  RESTART_INITIAL_DELAY_MS,
  RESTART_MAX_DELAY_MS,
  RESTART_RESET_AFTER_MS,
  RestartCanceledError,
  RestartManager,
  type RestartDecision,
  type TimerApi,
} from './manager.js';
