// Watch page, for the owner: save the edit form (title, description, pets, visibility,
// thumbnail) with PATCH /api/videos/<id>/, then show the saved video.
import { api, explain } from "./api.js";
import { sendFrom, tickedPets } from "./forms.js";

function whyNotSaved(answer) {
  const fields = Object.entries(answer.data?.errors || {}).map(([field, list]) => `${field}: ${list.join(" ")}`);
  return [explain(answer, `The video could not be saved (HTTP ${answer.status}).`), ...fields].join("\n");
}

const form = document.getElementById("edit-form");
if (form) {
  form.addEventListener("submit", async (event) => {
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
