// Watch page: "Up next", the related videos (same pets, same species, the owner's), loaded after
// the page, and the "Autoplay next" switch (off unless the viewer turned it on: remembered in this
// browser), which opens the first of them when the video ends, and plays it once there.
import { api } from "./api.js";

const AUTOPLAY = "pettube:autoplay-next";
const AUTOPLAYED = "pettube:autoplayed";
const section = document.querySelector("section.up-next");
const player = document.getElementById("player");

function duration(seconds) {
  const total = Math.round(seconds);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const rest = String(total % 60).padStart(2, "0");
  return hours ? `${hours}:${String(minutes).padStart(2, "0")}:${rest}` : `${minutes}:${rest}`;
}

// One related video as a list item: a link (picture, title) and who posted it, as text only.
function item(video) {
  const entry = document.createElement("li");
  const link = document.createElement("a");
  link.href = `/v/${video.id}/`;
  link.className = "up-next-link";
  const thumb = document.createElement("span");
  thumb.className = "up-next-thumb";
  if (video.thumbnail_url) {
    const picture = document.createElement("img");
    picture.src = video.thumbnail_url;
    picture.alt = "";
    picture.loading = "lazy";
    thumb.append(picture);
  }
  if (video.duration) {
    const length = document.createElement("span");
    length.className = "duration";
    length.textContent = duration(video.duration);
    thumb.append(length);
  }
  const text = document.createElement("span");
  text.className = "up-next-text";
  const title = document.createElement("span");
  title.className = "up-next-title";
  title.textContent = video.title;
  const meta = document.createElement("span");
  meta.className = "meta";
  meta.textContent = `${video.owner} · ${video.pet}`;
  text.append(title, meta);
  link.append(thumb, text);
  entry.append(link);
  return entry;
}

async function load() {
  const { ok, data } = await api("GET", section.dataset.related);
  if (!ok || !data.items.length) return;
  section.querySelector("[data-testid=up-next-list]").append(...data.items.map(item));
  section.hidden = false;
}

if (section) {
  const toggle = section.querySelector("[data-autoplay]");
  toggle.checked = localStorage.getItem(AUTOPLAY) === "on";
  toggle.addEventListener("change", () => localStorage.setItem(AUTOPLAY, toggle.checked ? "on" : "off"));
  player?.addEventListener("ended", () => {
    const first = section.querySelector(".up-next-link");
    if (!toggle.checked || !first) return;
    sessionStorage.setItem(AUTOPLAYED, new URL(first.href).pathname);
    window.location.assign(first.href);
  });
  // Arrived here by autoplay: play (the browser may refuse to start with sound; the viewer then
  // presses play).
  if (player && toggle.checked && sessionStorage.getItem(AUTOPLAYED) === window.location.pathname) {
    sessionStorage.removeItem(AUTOPLAYED);
    player.play().catch(() => {});
  }
  load();
}
