// Small helpers shared by the page scripts: the CSRF token and JSON requests to /api/.
export function csrfToken() {
  const input = document.querySelector("input[name=csrfmiddlewaretoken]");
  return input ? input.value : "";
}

export async function api(method, path, body) {
  const response = await fetch(path, {
    method,
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

// Follows a video until it is ready or failed; calls onChange whenever its status, progress
// or playability changes.
export async function followStatus(id, onChange) {
  let last = null;
  for (let delay = 1000; ; delay = Math.min(delay * 1.25, 5000)) {
    const { ok, data } = await api("GET", `/api/videos/${id}/`);
    const state = ok ? `${data.status} ${data.progress} ${data.playable}` : null;
    if (ok && state !== last) {
      last = state;
      onChange(data);
    }
    if (!ok || data.status === "ready" || data.status === "failed") return data;
    await sleep(delay);
  }
}
