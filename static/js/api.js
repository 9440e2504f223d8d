// Requests to PetTube's JSON API (/api/) and what their answers mean. Every request ends in an
// answer, {ok, status, data, retryAfter}: status 0 when the server could not be reached at all
// (only an abort through `signal` rejects). A 404 means gone; no answer, a 5xx or a 429 means the
// server is not answering for now, and asking again later, with backoff, can help.
const MAX_BACKOFF_MS = 15000;

export const NOT_ANSWERING = "PetTube is not answering, retrying…";

export function csrfToken() {
  const input = document.querySelector("input[name=csrfmiddlewaretoken]");
  return input ? input.value : "";
}

export async function api(method, path, body, { signal } = {}) {
  let response;
  try {
    response = await fetch(path, {
      method,
      signal,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (failure) {
    if (signal?.aborted) throw failure;
    return { ok: false, status: 0, data: null, retryAfter: null };
  }
  const data = response.status === 204 ? null : await response.json().catch(() => null);
  const retryAfter = Number.parseInt(response.headers.get("Retry-After"), 10);
  return { ok: response.ok, status: response.status, data, retryAfter: retryAfter >= 0 ? retryAfter : null };
}

// Whether asking again later can help: no answer, a 5xx, or a 429.
export function unavailable(answer) {
  return answer.status === 0 || answer.status === 429 || answer.status >= 500;
}

// The wait before asking again after `attempt` answers like `answer`: doubling from 1 s up to
// 15 s, and never shorter than the server's Retry-After.
export function backoffMs(attempt, answer) {
  const doubling = Math.min(1000 * 2 ** (attempt - 1), MAX_BACKOFF_MS);
  return Math.max(doubling, (answer?.retryAfter ?? 0) * 1000);
}

// Waits `ms`, or less: when the browser comes back online, or when the caller calls one of the
// functions this adds to `wakers`.
export function waitToRetry(ms, wakers = new Set()) {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      window.removeEventListener("online", done);
      wakers.delete(done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    window.addEventListener("online", done);
    wakers.add(done);
  });
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// What a failed answer means, for the person who asked; `fallback` when the server said nothing.
export function explain(answer, fallback = "That did not work: try again.") {
  if (answer.status === 0) return "PetTube could not be reached: check your connection and try again.";
  if (answer.status >= 500) return "PetTube is not answering right now: try again in a moment.";
  if (answer.data?.error) return answer.data.error;
  if (answer.status === 429) return `PetTube is busy: try again in ${answer.retryAfter ?? 60} s.`;
  return fallback;
}
