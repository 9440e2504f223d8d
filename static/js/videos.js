// Watch and "my videos" pages: delete with confirmation, visibility, live status of unfinished videos.
import { api, followStatus } from "./api.js";

for (const button of document.querySelectorAll("button[data-delete]")) {
  button.addEventListener("click", async () => {
    if (!window.confirm(`Delete "${button.dataset.title}"? This cannot be undone.`)) return;
    button.disabled = true;
    const { ok, data } = await api("DELETE", `/api/videos/${button.dataset.delete}/`);
    if (!ok) {
      button.disabled = false;
      window.alert(data?.error || "The video could not be deleted.");
      return;
    }
    if (button.dataset.after) window.location.assign(button.dataset.after);
    else button.closest("tr")?.remove();
  });
}

// "My videos": who can watch, changed in place.
for (const select of document.querySelectorAll("select[data-visibility]")) {
  let saved = select.value;
  select.addEventListener("change", async () => {
    select.disabled = true;
    const { ok, data } = await api("PATCH", `/api/videos/${select.dataset.visibility}/`, { visibility: select.value });
    select.disabled = false;
    if (ok) saved = data.visibility;
    else {
      select.value = saved;
      window.alert(data?.error || "The change could not be saved.");
    }
  });
}

for (const element of document.querySelectorAll("[data-video-id][data-status]")) {
  if (!["uploading", "processing"].includes(element.dataset.status)) continue;
  followStatus(element.dataset.videoId, (video) => {
    const label = element.querySelector("[data-testid=status]");
    if (label) label.textContent = video.status;
    if (video.status === "ready" || video.status === "failed") window.location.reload();
  });
}
