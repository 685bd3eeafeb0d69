/**
 * Threads on Node: worker_threads running eval'd source (no worker file to locate or bundle).
 * Selected by the `node` condition of the package's `#platform` import; never bundled for browsers.
 */
/// <reference types="node" />
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Platform } from './platform.js';

export const platform: Platform = {
  threadSupport() {
    return typeof SharedArrayBuffer === 'function' ? undefined : 'SharedArrayBuffer is disabled in this Node process';
  },
  cores: () => availableParallelism(),
  workerPrelude:
    "const { parentPort } = require('node:worker_threads');\n" +
    "const receive = (handler) => parentPort.once('message', handler);\n" +
    'const reply = (message) => parentPort.postMessage(message);\n',
  spawn(source) {
    const worker = new Worker(source, { eval: true });
    return {
      post: (message) => worker.postMessage(message),
      once(handler, failed) {
        const onError = (error: unknown) => failed(error);
        const onExit = (code: number) => failed(new Error(`worker exited with code ${code}`));
        worker.once('error', onError);
        worker.once('exit', onExit);
        worker.once('message', (message: unknown) => {
          worker.off('error', onError);
          worker.off('exit', onExit);
          handler(message);
        });
      },
      unref: () => worker.unref(),
      terminate: () => void worker.terminate(),
    };
  },
};
