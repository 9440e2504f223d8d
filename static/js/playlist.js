// A playlist's page: plays its videos in order (the next starts when one ends) with the list
// beside the player; its owner reorders the list (drag, or the Up and Down buttons from the
// keyboard) and removes videos, each change saved at once.
import { api, explain } from "./api.js";
import { say } from "./forms.js";

const page = document.querySelector("[data-playlist]");
const list = page?.querySelector("[data-testid=playlist-items]");
const player = document.getElementById("player");
const note = page?.querySelector("[data-testid=playlist-note]");
const path = `/api/playlists/${page?.dataset.playlist}/`;

function play(item) {
  for (const other of list.children) other.removeAttribute("aria-current");
  item.setAttribute("aria-current", "true");
  const heading = document.querySelector("[data-testid=now-playing] a");
  heading.textContent = item.dataset.title;
  heading.href = `/v/${item.dataset.video}/`;
  history.replaceState(null, "", `?v=${item.dataset.video}`);
  if (item.dataset.poster) player.poster = item.dataset.poster;
  if (player.hls) {
    const hls = player.hls; // started by hand (player.js): from the new video's start
    hls.once(window.Hls.Events.MANIFEST_PARSED, () => {
      hls.startLoad(0);
      player.play().catch(() => {});
    });
    hls.loadSource(item.dataset.hls);
  } else {
    player.src = player.src.includes(".m3u8") ? item.dataset.hls : item.dataset.mp4 || item.dataset.hls;
    player.play().catch(() => {});
  }
}

player?.addEventListener("ended", () => {
  const next = list.querySelector("[aria-current=true]")?.nextElementSibling;
  if (next) play(next);
});

const order = () => [...list.children].map((item) => item.dataset.video);

async function save(undo) {
  const answer = await api("PATCH", path, { order: order() });
  say(note, answer.ok ? "" : explain(answer, "The new order was not saved."));
  if (!answer.ok) undo();
}

function move(item, step) {
  const before = item.previousElementSibling;
  const after = item.nextElementSibling;
  if (step < 0 && before) before.before(item);
  else if (step > 0 && after) after.after(item);
  else return;
  item.querySelector(`[data-move="${step}"]`).focus();
  save(() => (before ? before.after(item) : list.prepend(item)));
}

if (page?.hasAttribute("data-owner") && list) {
  list.addEventListener("click", async (event) => {
    const button = event.target.closest("button");
    const item = button?.closest("li");
    if (!item) return;
    if (button.dataset.move) move(item, Number(button.dataset.move));
    if (button.hasAttribute("data-remove")) {
      button.disabled = true;
      const answer = await api("DELETE", `${path}items/${item.dataset.video}/`);
      button.disabled = false;
      say(note, answer.ok ? "" : explain(answer, "The video was not removed."));
      if (answer.ok) item.remove();
    }
  });
  let dragged = null;
  list.addEventListener("dragstart", (event) => {
    dragged = event.target.closest("li");
    event.dataTransfer.effectAllowed = "move";
  });
  list.addEventListener("dragover", (event) => event.preventDefault());
  list.addEventListener("drop", (event) => {
    event.preventDefault();
    const target = event.target.closest("li");
    if (!dragged || !target || target === dragged) return;
    const was = dragged.nextElementSibling;
    const item = dragged;
    if ([...list.children].indexOf(target) > [...list.children].indexOf(item)) target.after(item);
    else target.before(item);
    save(() => (was ? was.before(item) : list.append(item)));
  });
}
