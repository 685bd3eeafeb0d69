import { run } from './moons.js';

run();
