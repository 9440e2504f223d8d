// Small helpers shared by the page scripts: the CSRF token and JSON requests to /api/.
export function csrfToken() {
  const input = document.querySelector("input[name=csrfmiddlewaretoken]");
  return input ? input.value : "";
}

export async function api(method, path, body, { signal } = {}) {
  const response = await fetch(path, {
    method,
    signal,
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = response.status === 204 ? null : await response.json().catch(() => null);
  return { ok: response.ok, status: response.status, data };
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// Follows a video until it is ready or failed (or gone: null); calls onChange whenever its
// status, progress or playability changes. A dropped connection only delays the next look.
export async function followStatus(id, onChange) {
  let last = null;
  for (let delay = 1000; ; delay = Math.min(delay * 1.25, 5000)) {
    let answer = null;
    try {
      answer = await api("GET", `/api/videos/${id}/`);
    } catch {
      // offline for now: look again later
    }
    if (answer && !answer.ok) return null;
    const video = answer?.data;
    const state = video && `${video.status} ${video.progress} ${video.playable}`;
    if (video && state !== last) {
      last = state;
      onChange(video);
    }
    if (video && (video.status === "ready" || video.status === "failed")) return video;
    await sleep(delay);
  }
}

// The sentence that says where a video is, for its owner.
export function statusSentence(video) {
  if (video.status === "uploading") return "This video is still uploading.";
  if (video.status === "processing") {
    const done = typeof video.progress === "number" ? ` (${Math.round(video.progress)}% done)` : "";
    return `This video is being processed${done}. It will appear on the feed when it is ready.`;
  }
  if (video.status === "failed") return `This video could not be processed: ${video.error || "unknown reason"}`;
  return "This video is ready.";
}
