// Watch page, for the owner: save the edit form (title, description, pets, visibility,
// thumbnail) with PATCH /api/videos/<id>/, then show the saved video.
import { api } from "./api.js";

const form = document.getElementById("edit-form");
if (form) {
  const errors = form.querySelector(".errors");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    errors.hidden = true;
    const changes = {
      title: form.elements.title.value,
      description: form.elements.description.value,
      pets: [...form.querySelectorAll("input[name=pets]:checked")].map((input) => input.value),
      visibility: form.elements.visibility.value,
    };
    const poster = form.querySelector("input[name=poster]:checked");
    if (poster) changes.poster = Number(poster.value);
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    const { ok, status, data } = await api("PATCH", `/api/videos/${form.dataset.videoId}/`, changes);
    if (ok) {
      window.location.assign(window.location.pathname);
      return;
    }
    button.disabled = false;
    const fields = Object.entries(data?.errors || {}).map(([field, list]) => `${field}: ${list.join(" ")}`);
    errors.textContent = [data?.error || `The video could not be saved (HTTP ${status}).`, ...fields].join("\n");
    errors.hidden = false;
  });
}
