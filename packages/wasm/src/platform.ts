/**
 * What the thread pool needs from the runtime. Two implementations, picked by the package's
 * `#platform` import condition: platform-node.ts (`node`: worker_threads) and
 * platform-browser.ts (everything else: Web Workers). Only the Node one imports Node built-ins,
 * and bundlers for the browser never see it.
 */
export interface Platform {
  /** Why worker threads with shared memory cannot run here, or undefined when they can. */
  threadSupport(): string | undefined;
  /** How many threads can run at once (cores available to this process or page). */
  cores(): number;
  /**
   * Script text that defines `receive(handler)` (delivers the first message to the worker)
   * and `reply(message)` (posts one back) inside a worker; the worker body follows it.
   */
  workerPrelude: string;
  /** Starts a worker running `source`; it must not keep the process alive once unref'd. */
  spawn(source: string): PlatformWorker;
}

export interface PlatformWorker {
  post(message: unknown): void;
  /** Calls `handler` with the worker's first message, or `failed` if it errors or exits first. */
  once(handler: (message: unknown) => void, failed: (error: unknown) => void): void;
  /** Lets the process exit while the worker waits for jobs (Node); a no-op in browsers. */
  unref(): void;
  terminate(): void;
}
