// A stand-in engine for the crash test: creates and starts a container through the built package,
// says "started", then idles until it is killed.
import { Container } from '../../dist/index.js';

const options = JSON.parse(process.argv[2]);
const c = await Container.create(options);
await c.start();
process.stdout.write(`started ${c.pid}\n`);
setInterval(() => {}, 1000);
