import { run } from './graph.js';

await run();
