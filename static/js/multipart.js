// Sends a large file straight to S3 in parts, over the server's multipart upload: a few parts
// at once, presigned part URLs fetched a batch at a time, a failed part retried with backoff
// (at once when the browser comes back online), a stalled part abandoned and sent again, pause,
// resume and cancel. Parts the server already has (it lists them) are skipped: choosing the same
// file after a reload or a cut continues where the upload stopped. The server completes the
// upload once every part is in.
import { api, backoffMs, unavailable, waitToRetry } from "./api.js";

const CONNECTIONS = 4;
const URL_BATCH = 8;
const URL_FRESH_MS = 10 * 60 * 1000; // the server signs them for 15 minutes

// An upload request whose bytes stop moving for this long, or whose answer has not come this long
// after its last byte, is abandoned. Not a limit on the whole request: a slow connection that
// keeps moving is never cut. (An object, so that a test can shorten it on the page.)
export const UPLOAD_STALL = { ms: 60_000 };

// Sets `request`'s timeout (an XMLHttpRequest, just before it is sent) to UPLOAD_STALL past its
// latest progress: XHR measures a timeout from the start of the request, so progress moves it on.
export function timeOutWhenStalled(request) {
  const began = performance.now();
  request.timeout = UPLOAD_STALL.ms;
  request.upload.addEventListener("progress", () => {
    request.timeout = Math.round(performance.now() - began) + UPLOAD_STALL.ms;
  });
}

export class Cancelled extends Error {}

// The server refused (the upload is gone, or is not this person's): retrying cannot help.
export class Refused extends Error {}

export class PartUpload {
  // onProgress(sentBytes); onRetry({attempt, seconds, answer}) when a part or a request failed
  // and waits (`answer`: the API's, when the server was not answering), onRetry(null) once one goes
  // through again.
  constructor(videoId, file, { onProgress = () => {}, onRetry = () => {} } = {}) {
    this.videoId = videoId;
    this.file = file;
    this.onProgress = onProgress;
    this.onRetry = onRetry;
    this.done = new Map(); // part number → its size, once stored
    this.loading = new Map(); // part number → bytes of it sent so far
    this.urls = new Map(); // part number → {url, at}
    this.requests = new Set(); // part uploads on their way
    this.asking = new AbortController(); // API requests on their way: abandoned on cancel
    this.wakers = new Set();
    this.paused = false;
    this.cancelled = false;
    this.retrying = false;
  }

  // The parts already stored, from the server; refuses a file that is not the one started.
  async prepare() {
    const state = await this.#call("GET", "parts/");
    if (state.size !== this.file.size) {
      throw new Error(`This is not the file being uploaded: that one has ${state.size} bytes, this one ${this.file.size}.`);
    }
    this.partSize = state.part_size;
    this.partCount = state.part_count;
    for (const part of state.parts) {
      if (part.size === this.#sizeOf(part.number)) this.done.set(part.number, part.size);
    }
    this.#report();
    return this.sent();
  }

  // Sends the missing parts, has the server complete the upload, and returns the video's JSON.
  async run() {
    if (this.partSize === undefined) await this.prepare();
    for (;;) {
      this.pending = [];
      for (let number = 1; number <= this.partCount; number++) if (!this.done.has(number)) this.pending.push(number);
      try {
        await Promise.all(Array.from({ length: CONNECTIONS }, () => this.#worker()));
      } catch (failure) {
        this.#stop();
        throw failure;
      }
      const completed = await this.#request("POST", "complete/");
      if (completed.ok) return completed.data;
      if (completed.status === 409 && completed.data?.missing) {
        for (const number of completed.data.missing) this.done.delete(number);
        continue;
      }
      throw new Refused(completed.data?.error || `The upload could not be completed (HTTP ${completed.status}).`);
    }
  }

  sent() {
    let bytes = 0;
    for (const size of this.done.values()) bytes += size;
    for (const size of this.loading.values()) bytes += size;
    return Math.min(bytes, this.file.size);
  }

  pause() {
    this.paused = true;
    this.#abortRequests();
  }

  resume() {
    this.paused = false;
    this.#wake();
  }

  cancel() {
    this.#stop();
  }

  // Abandons the API requests on their way too: a cancelled upload is deleted at once, and an
  // answer that came after that would be a 404 about an upload nobody is waiting for.
  #stop() {
    this.cancelled = true;
    this.asking.abort();
    this.#abortRequests();
    this.#wake();
  }

  async #worker() {
    while (this.pending.length) {
      await this.#whileRunning();
      const number = this.pending.shift();
      if (number === undefined) return;
      for (let attempt = 1; ; ) {
        try {
          await this.#sendPart(number);
          break;
        } catch (failure) {
          this.loading.delete(number);
          this.urls.delete(number);
          this.#report();
          if (failure instanceof Refused) throw failure;
          if (this.cancelled) throw new Cancelled();
          if (this.paused) {
            await this.#whileRunning();
            continue;
          }
          await this.#backoff(attempt++, null);
        }
      }
    }
  }

  async #sendPart(number) {
    const url = await this.#urlFor(number);
    await this.#whileRunning();
    const start = (number - 1) * this.partSize;
    const body = this.file.slice(start, start + this.#sizeOf(number));
    await new Promise((resolve, reject) => {
      const request = new XMLHttpRequest();
      this.requests.add(request);
      const fail = (why) => () => {
        this.requests.delete(request);
        reject(new Error(why));
      };
      request.open("PUT", url);
      request.upload.addEventListener("progress", (event) => {
        this.loading.set(number, event.loaded);
        this.#report();
      });
      request.addEventListener("load", () => {
        this.requests.delete(request);
        if (request.status >= 300) return reject(new Error(`The storage refused part ${number} (HTTP ${request.status}).`));
        this.loading.delete(number);
        this.done.set(number, body.size);
        this.#recovered();
        this.#report();
        resolve();
      });
      request.addEventListener("error", fail("network"));
      request.addEventListener("abort", fail("aborted"));
      request.addEventListener("timeout", fail("stalled"));
      timeOutWhenStalled(request);
      request.send(body);
    });
  }

  async #urlFor(number) {
    const known = this.urls.get(number);
    if (known && performance.now() - known.at < URL_FRESH_MS) return known.url;
    this.fetchingUrls ||= this.#fetchUrls(number).finally(() => {
      this.fetchingUrls = null;
    });
    await this.fetchingUrls;
    return this.#urlFor(number);
  }

  async #fetchUrls(number) {
    const numbers = [number, ...this.pending.filter((n) => !this.urls.has(n))].slice(0, URL_BATCH);
    const { urls } = await this.#call("POST", "parts/", { numbers });
    const at = performance.now();
    for (const [key, url] of Object.entries(urls)) this.urls.set(Number(key), { url, at });
  }

  // An API request that must succeed: any other answer than the one asked for is a refusal.
  async #call(method, path, body) {
    const answer = await this.#request(method, path, body);
    if (answer.ok) return answer.data;
    throw new Refused(answer.data?.error || `The server answered HTTP ${answer.status}.`);
  }

  // An API request, asked again with backoff while the server does not answer (no connection, a
  // 5xx, a 429), Retry-After honoured.
  async #request(method, path, body) {
    for (let attempt = 1; ; attempt++) {
      await this.#whileRunning();
      // api() rejects only when its signal aborts it: #stop() did.
      const answer = await api(method, `/api/videos/${this.videoId}/${path}`, body, { signal: this.asking.signal })
        .catch(() => { throw new Cancelled(); });
      if (!unavailable(answer)) {
        this.#recovered();
        return answer;
      }
      if (this.cancelled) throw new Cancelled();
      await this.#backoff(attempt, answer);
    }
  }

  #sizeOf(number) {
    return number < this.partCount ? this.partSize : this.file.size - (this.partCount - 1) * this.partSize;
  }

  #report() {
    this.onProgress(this.sent());
  }

  #abortRequests() {
    for (const request of [...this.requests]) request.abort();
  }

  async #whileRunning() {
    while (this.paused && !this.cancelled) await new Promise((resolve) => this.wakers.add(resolve));
    if (this.cancelled) throw new Cancelled();
  }

  #backoff(attempt, answer) {
    const delay = backoffMs(attempt, answer);
    this.retrying = true;
    this.onRetry({ attempt, seconds: delay / 1000, answer });
    return waitToRetry(delay, this.wakers);
  }

  #recovered() {
    if (!this.retrying) return;
    this.retrying = false;
    this.onRetry(null);
  }

  #wake() {
    for (const wake of [...this.wakers]) wake();
    this.wakers.clear();
  }
}
