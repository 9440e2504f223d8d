// Watch page, for the owner: save the edit form (title, description, pets, visibility,
// thumbnail) with PATCH /api/videos/<id>/, then show the saved video.
import { api, explain } from "./api.js";
import { onClick, onSubmit, say, sendFrom, tickedPets } from "./forms.js";

function whyNotSaved(answer) {
  const fields = Object.entries(answer.data?.errors || {}).map(([field, list]) => `${field}: ${list.join(" ")}`);
  return [explain(answer, `The video could not be saved (HTTP ${answer.status}).`), ...fields].join("\n");
}

const form = document.getElementById("edit-form");
if (form) {
  onSubmit(form, async (event) => {
    event.preventDefault();
    const changes = {
      title: form.elements.title.value,
      description: form.elements.description.value,
      pets: tickedPets(form),
      visibility: form.elements.visibility.value,
    };
    const poster = form.querySelector("input[name=poster]:checked");
    if (poster) changes.poster = Number(poster.value);
    const { ok } = await sendFrom(form.querySelector("button[type=submit]"),
      () => api("PATCH", `/api/videos/${form.dataset.videoId}/`, changes),
      { box: form.querySelector(".errors"), failed: whyNotSaved });
    if (ok) window.location.assign(window.location.pathname);
  });
}

// Captions: add a file (POST /api/videos/<id>/captions/, read here as text) or remove one.
const captions = document.getElementById("captions-form");
const MAX_CAPTION_BYTES = 1024 * 1024;

function whyNoCaptions(answer) {
  const fields = Object.values(answer.data?.errors || {}).flat();
  return fields.length ? fields.join("\n") : explain(answer, `The captions could not be saved (HTTP ${answer.status}).`);
}

// Shows the page again with the editor open at the captions (reloading if it is that page already).
function showCaptions() {
  const url = new URL(`${window.location.pathname}?edit=1#captions-heading`, window.location.href);
  if (url.href === window.location.href) window.location.reload();
  else window.location.assign(url);
}

if (captions) {
  const box = captions.querySelector(".errors");
  onSubmit(captions, async (event) => {
    event.preventDefault();
    const [file] = captions.elements.file.files;
    if (!file) return say(box, "Choose a caption file.");
    if (file.size > MAX_CAPTION_BYTES) return say(box, "The caption file is larger than 1 MB.");
    const body = { lang: captions.elements.lang.value.trim(), label: captions.elements.label.value, text: await file.text() };
    const { ok } = await sendFrom(captions.querySelector("button[type=submit]"),
      () => api("POST", `/api/videos/${captions.dataset.videoId}/captions/`, body), { box, failed: whyNoCaptions });
    if (ok) showCaptions();
  });
  for (const button of document.querySelectorAll("button[data-remove-caption]")) {
    onClick(button, async () => {
      const lang = encodeURIComponent(button.dataset.removeCaption);
      const { ok } = await sendFrom(button, () => api("DELETE", `/api/videos/${captions.dataset.videoId}/captions/${lang}/`));
      if (ok) showCaptions();
    });
  }
}
