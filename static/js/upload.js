// Upload page: ask the API for a presigned POST, send the file straight to S3 with progress,
// then follow the processing status and go to the watch page when the video is ready.
import { api, followStatus } from "./api.js";

const form = document.getElementById("upload-form");
const errors = form.querySelector(".errors");
const progress = document.getElementById("progress");
const bar = progress.querySelector("progress");
const percent = progress.querySelector("[data-testid=percent]");
const megabytes = progress.querySelector("[data-testid=megabytes]");
const phase = progress.querySelector("[data-testid=phase]");

const mb = (bytes) => (bytes / 1e6).toFixed(1);

function showErrors(message, fieldErrors = {}) {
  const lines = [message, ...Object.entries(fieldErrors).map(([field, list]) => `${field}: ${list.join(" ")}`)];
  errors.textContent = lines.filter(Boolean).join("\n");
  errors.hidden = false;
}

// Leaving the page would abort the upload: let the browser ask first.
function warnBeforeLeaving(event) {
  event.preventDefault();
}

function sendToStorage(upload, file) {
  return new Promise((resolve, reject) => {
    const body = new FormData();
    for (const [name, value] of Object.entries(upload.fields)) body.append(name, value);
    body.append("file", file);
    const request = new XMLHttpRequest();
    request.open("POST", upload.url);
    request.upload.addEventListener("progress", (event) => {
      if (!event.lengthComputable) return;
      // The request body is the file plus the policy fields: measure against its total.
      const share = event.loaded / event.total;
      bar.value = Math.round(100 * share);
      percent.textContent = `${bar.value}%`;
      megabytes.textContent = `${mb(share * file.size)} of ${mb(file.size)} MB`;
    });
    request.addEventListener("load", () =>
      request.status < 300 ? resolve() : reject(new Error(`The storage refused the file (HTTP ${request.status}).`)),
    );
    request.addEventListener("error", () => reject(new Error("The upload was interrupted. Check your connection and try again.")));
    request.send(body);
  });
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  errors.hidden = true;
  const file = form.elements.file.files[0];
  if (!file) return showErrors("Choose a video file.");
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  const start = await api("POST", "/api/videos/", {
    title: form.elements.title.value,
    description: form.elements.description.value,
    pet: form.elements.pet.value,
    filename: file.name,
    content_type: file.type || "video/mp4",
    size: file.size,
  });
  if (!start.ok) {
    button.disabled = false;
    return showErrors(start.data?.error || `Upload could not start (HTTP ${start.status}).`, start.data?.errors);
  }
  progress.hidden = false;
  window.addEventListener("beforeunload", warnBeforeLeaving);
  try {
    await sendToStorage(start.data.upload, file);
  } catch (failure) {
    button.disabled = false;
    phase.textContent = "";
    return showErrors(failure.message);
  } finally {
    window.removeEventListener("beforeunload", warnBeforeLeaving);
  }
  bar.value = 100;
  percent.textContent = "100%";
  phase.textContent = "Uploaded. Processing…";
  // Until the storage event arrives the video is still "uploading": keep saying "Uploaded".
  // The watch page plays the start as soon as the first segments are published.
  let playable = false;
  const final = await followStatus(start.data.id, (video) => {
    if (video.status === "processing") phase.textContent = `Processing… ${video.progress}%`;
    if (video.playable && !playable) {
      playable = true;
      window.location.assign(`/v/${start.data.id}/`);
    }
  });
  if (final && final.status === "ready") {
    phase.textContent = "Ready!";
    if (!playable) window.location.assign(`/v/${start.data.id}/`);
  } else {
    button.disabled = false;
    showErrors(final?.error ? `Processing failed: ${final.error}` : "Processing failed.");
  }
});
