// The watch page's Save menu: my playlists (Watch later first), each a button that saves the
// video there, and a new playlist made and saved to at once.
import { api, explain } from "./api.js";
import { onSubmit, say, sendFrom } from "./forms.js";

const menu = document.querySelector("[data-save]");
const list = menu?.querySelector("[data-testid=save-list]");
const note = menu?.querySelector("[data-save-note]");
let loaded = false;

async function saveTo(playlist, button) {
  const answer = await sendFrom(button, () => api("POST", `/api/playlists/${playlist.id}/items/`, { video: menu.dataset.save }), { box: note });
  if (answer.ok) {
    button.setAttribute("aria-pressed", "true");
    say(note, answer.status === 201 ? `Saved to “${playlist.title}”.` : `Already in “${playlist.title}”.`);
  } else {
    say(note, explain(answer, "The video was not saved."));
  }
}

function show(playlist) {
  const item = document.createElement("li");
  const button = document.createElement("button");
  button.type = "button";
  button.className = "link";
  button.setAttribute("aria-pressed", "false");
  button.textContent = playlist.title;
  button.addEventListener("click", () => saveTo(playlist, button));
  item.append(button);
  list.append(item);
  return button;
}

async function load() {
  if (!menu.open || loaded) return;
  loaded = true;
  const answer = await api("GET", "/api/playlists/");
  if (!answer.ok) {
    loaded = false; // the next opening asks again
    say(note, explain(answer, "Your playlists could not be loaded."));
    return;
  }
  for (const playlist of answer.data.items) show(playlist);
}

menu?.addEventListener("toggle", load);
if (menu) load(); // opened before this script ran (its toggle event went unheard)

onSubmit(menu?.querySelector("[data-new-playlist]"), async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const title = form.elements.title.value;
  const made = await sendFrom(form.querySelector("button"), () => api("POST", "/api/playlists/", { title, visibility: "private" }), { box: note });
  if (!made.ok) {
    say(note, explain(made, "The playlist was not made."));
    return;
  }
  form.reset();
  await saveTo(made.data, show(made.data));
});
