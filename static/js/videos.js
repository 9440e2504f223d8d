// Watch and "my videos" pages: delete with confirmation, live status of unfinished videos.
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

const finished = (video) => video.status === "ready" || video.status === "failed";

for (const element of document.querySelectorAll("[data-video-id][data-status]")) {
  if (!["uploading", "processing"].includes(element.dataset.status)) continue;
  const player = element.querySelector("#player");
  const label = element.querySelector("[data-testid=status]");
  const percent = element.querySelector("[data-testid=progress]");
  followStatus(element.dataset.videoId, (video) => {
    if (player) {
      // Watching the start already: the player reloads its playlist by itself until the end.
      if (video.status === "processing" && percent) {
        percent.textContent = `Still encoding: ${video.progress}%. You are watching what is ready so far.`;
      } else if (finished(video)) {
        percent?.remove();
      }
      return;
    }
    if (percent && video.status === "processing") percent.textContent = `${video.progress}%`;
    else if (label) label.textContent = video.status === "processing" ? `processing ${video.progress}%` : video.status;
    // A page without a player shows one as soon as the start can be watched.
    if (finished(video) || (video.playable && element.matches(".watch"))) window.location.reload();
  });
}
