/**
 * Threads in browsers (and other non-Node runtimes): Web Workers started from a Blob URL, so
 * there is no worker file to serve. Shared WebAssembly memory needs SharedArrayBuffer, which
 * browsers give only to cross-origin isolated pages.
 */
import type { Platform } from './platform.js';

export const platform: Platform = {
  threadSupport() {
    if (typeof Worker !== 'function') return 'Web Workers are not available in this context';
    if (typeof SharedArrayBuffer !== 'function' || (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated !== true) {
      return 'the page is not cross-origin isolated, so it cannot share memory with workers ' +
        '(serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)';
    }
    return undefined;
  },
  cores: () => (typeof navigator === 'object' && navigator.hardwareConcurrency > 0 ? navigator.hardwareConcurrency : 1),
  workerPrelude:
    'const receive = (handler) => { self.onmessage = (e) => { self.onmessage = null; handler(e.data); }; };\n' +
    'const reply = (message) => self.postMessage(message);\n',
  spawn(source) {
    const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
    const worker = new Worker(url);
    // revoked once the worker has loaded (or failed): revoking earlier races its fetch
    let revoked = false;
    const revoke = () => {
      if (!revoked) URL.revokeObjectURL(url);
      revoked = true;
    };
    return {
      post: (message) => worker.postMessage(message),
      once(handler, failed) {
        worker.onerror = (event) => {
          revoke();
          failed(new Error(event.message || 'worker failed to start'));
        };
        worker.onmessage = (event: MessageEvent) => {
          revoke();
          worker.onmessage = null;
          worker.onerror = null;
          handler(event.data);
        };
      },
      unref() {},
      terminate() {
        revoke();
        worker.terminate();
      },
    };
  },
};
