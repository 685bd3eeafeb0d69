import { run } from './xor.js';

run();
