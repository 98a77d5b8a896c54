export { MIGRATIONS, migrate, openEngineDb } from './migrations.js';
