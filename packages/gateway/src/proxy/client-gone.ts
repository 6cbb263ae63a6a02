import { EventEmitter } from 'node:events';

/**
 * The client's disconnect, as the cancel signal of its request. An AbortSignal costs a few
 * microseconds to make (it is an EventTarget); most requests never need one: the engine client
 * takes this EventEmitter (`aborted`, an 'abort' event) as its signal. `abortSignal`
 * makes a real one on first use (provider SDKs, waits for headroom).
 */
export class ClientGone extends EventEmitter {
  aborted = false;
  private ctl: AbortController | undefined;

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.ctl?.abort();
    this.emit('abort');
  }

  get abortSignal(): AbortSignal {
    if (!this.ctl) {
      this.ctl = new AbortController();
      if (this.aborted) this.ctl.abort();
    }
    return this.ctl.signal;
  }
}
