import { run } from './iris.js';

run();
