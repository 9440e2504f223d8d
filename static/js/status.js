// A video's processing as the pages show it: following it until it is ready, and the words that
// say where it is.
import { NOT_ANSWERING, api, backoffMs, sleep, waitToRetry } from "./api.js";

// How far the encoding is, as a whole percentage (null when the server did not say).
export function percentDone(video) {
  return typeof video.progress === "number" ? Math.round(video.progress) : null;
}

// Follows a video until it is ready or failed, and returns it; null only when the server says it
// is gone (404). onChange(video) whenever its status, progress or playability changes. While the
// server does not answer (no connection, a 5xx, a 429) onTrouble(NOT_ANSWERING) says so and the
// video is asked for again with backoff, Retry-After honoured; onTrouble("") once it answers.
export async function followStatus(id, onChange, onTrouble = () => {}) {
  let last = null;
  let failures = 0;
  for (let delay = 1000; ; ) {
    const answer = await api("GET", `/api/videos/${id}/`);
    if (answer.status === 404) return null;
    if (!answer.ok || !answer.data) {
      failures += 1;
      onTrouble(NOT_ANSWERING);
      await waitToRetry(backoffMs(failures, answer));
      continue;
    }
    if (failures) onTrouble("");
    failures = 0;
    const video = answer.data;
    const state = `${video.status} ${video.progress} ${video.playable}`;
    if (state !== last) {
      last = state;
      onChange(video);
    }
    if (video.status === "ready" || video.status === "failed") return video;
    await sleep(delay);
    delay = Math.min(delay * 1.25, 5000);
  }
}

// The sentence that says where a video is, for its owner.
export function statusSentence(video) {
  if (video.status === "uploading") return "This video is still uploading.";
  if (video.status === "processing") {
    const percent = percentDone(video);
    const done = percent === null ? "" : ` (${percent}% done)`;
    return `This video is being processed${done}. It will appear on the feed when it is ready.`;
  }
  if (video.status === "failed") return `This video could not be processed: ${video.error || "unknown reason"}`;
  return "This video is ready.";
}
