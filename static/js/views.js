// A view counts once the player has actually played for `seconds` (the server checks the
// ticket's age and counts each viewer once a day): the watch page's and the embed page's.
import { api } from "./api.js";

// Reports a view of `videoId` with the page's `ticket` once `player` has played `seconds`;
// `counted()` runs if the server counted it. Returns a function that stops watching `player`
// (the shorts feed hands its <video> elements from clip to clip).
export function reportView(player, { videoId, ticket, seconds = 5 }, counted = () => {}) {
  let played = 0;
  let last = null;
  const onTime = async () => {
    if (last !== null && !player.paused && !player.seeking) played += Math.max(0, Math.min(1, player.currentTime - last));
    last = player.currentTime;
    if (played < seconds) return;
    player.removeEventListener("timeupdate", onTime);
    const { ok, data } = await api("POST", `/api/videos/${videoId}/views/`, { ticket });
    if (ok && data.counted) counted();
  };
  player.addEventListener("timeupdate", onTime);
  return () => player.removeEventListener("timeupdate", onTime);
}
