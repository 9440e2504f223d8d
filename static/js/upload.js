// Upload page: check the form here first, ask the API to start the upload, send the file
// straight to S3 (one presigned POST, or parts for a large file: resumable, with pause and
// cancel), then follow the processing and open the watch page when the video is ready.
import { api, explain, unavailable } from "./api.js";
import { onSubmit, say, tickedPets, troubleNote } from "./forms.js";
import { Cancelled, PartUpload, timeOutWhenStalled } from "./multipart.js";
import { Meter, describeRate, describeRetry, describeSize, formatBytes, formatDuration } from "./progress.js";
import { flash, notify, readyMessage, sayWhenReady } from "./site.js";
import { followStatus, percentDone } from "./status.js";

const form = document.getElementById("upload-form");
const fieldset = form.querySelector("fieldset");
const submit = form.querySelector("button[type=submit]");
const formError = form.querySelector("[data-testid=form-error]");
const resumeNote = document.getElementById("file-note");
const section = document.getElementById("progress");
const part = (name) => section.querySelector(`[data-testid=${name}]`);
const uploadBar = document.getElementById("upload-bar");
const processingBar = document.getElementById("processing-bar");
const button = (action) => section.querySelector(`[data-action=${action}]`);
const maxBytes = Number(form.dataset.maxBytes);
// The API's field names, and the form field that shows their errors.
const FIELD_OF = {
  title: "title", description: "description", pet: "pet", file: "file", filename: "file", content_type: "file", size: "file",
};
const VIDEO_NAME = /\.(mp4|m4v|mov|webm|mkv|avi|3gp|mts|mpg|mpeg|wmv)$/i;
// What a resumed upload keeps from when it started: shown, and not to be changed.
const STARTED_WITH = ["title", "description", "pet"];

let resuming = null; // the video id when the chosen file continues an upload started before
let transfer = null; // the upload under way: {pause, resume, cancel}
let videoId = null;

const announce = (text) => {
  part("announcer").textContent = text;
};
const serverTrouble = troubleNote(part("elapsed"));
const rememberKey = (file) => `pettube:upload:${file.name}:${file.size}:${file.lastModified}`;

function warnBeforeLeaving(event) {
  event.preventDefault();
}

// --- validation and errors ------------------------------------------------------------------

function clearErrors() {
  for (const box of form.querySelectorAll(".field-error")) box.hidden = true;
  for (const field of form.querySelectorAll("[aria-invalid]")) field.removeAttribute("aria-invalid");
  formError.hidden = true;
}

function showErrors(fieldErrors, message = "") {
  const byField = {};
  const general = message ? [message] : [];
  for (const [name, messages] of Object.entries(fieldErrors)) {
    if (FIELD_OF[name]) (byField[FIELD_OF[name]] ||= []).push(...messages);
    else general.push(...messages);
  }
  let first = null;
  for (const [name, messages] of Object.entries(byField)) {
    const field = form.elements[name];
    const box = document.getElementById(`${field.id}-error`);
    box.textContent = messages.join(" ");
    box.hidden = false;
    field.setAttribute("aria-invalid", "true");
    first ||= field;
  }
  if (general.length) {
    formError.textContent = general.join(" ");
    formError.hidden = false;
  }
  (first || formError).focus();
}

function problems(file) {
  const errors = {};
  if (!form.elements.title.value.trim()) errors.title = ["Give your video a title."];
  if (!file) errors.file = ["Choose a video file."];
  else if (!(file.type.startsWith("video/") || (!file.type && VIDEO_NAME.test(file.name)))) {
    errors.file = [`“${file.name}” is not a video. Choose a video file (MP4, MOV, WebM…).`];
  } else if (file.size === 0) errors.file = ["This file is empty. Choose another one."];
  else if (file.size > maxBytes) {
    errors.file = [`This file is ${formatBytes(file.size)}: larger than the limit of ${formatBytes(maxBytes)}.`];
  }
  return errors;
}

// --- phases ---------------------------------------------------------------------------------

function setPhase(name, heading) {
  section.hidden = false;
  section.dataset.phase = name;
  part("phase").textContent = heading;
  part("transfer").hidden = name !== "uploading";
  part("processing").hidden = name !== "processing";
  part("failure").hidden = name !== "failed";
}

function showTransfer(progress) {
  uploadBar.value = progress.percent;
  part("percent").textContent = `${progress.percent}%`;
  part("megabytes").textContent = describeSize(progress);
  part("rate").textContent = describeRate(progress);
}

function showRetry(retry) {
  say(part("retry"), retry ? describeRetry(retry) : "");
}

function fail(heading, reason) {
  setPhase("failed", heading);
  const failure = part("failure");
  failure.textContent = reason;
  failure.setAttribute("role", "alert");
  unlockForm();
}

function lockForm() {
  fieldset.disabled = true;
  submit.hidden = true;
}

function unlockForm() {
  fieldset.disabled = false;
  submit.hidden = false;
  transfer = null;
  window.removeEventListener("beforeunload", warnBeforeLeaving);
}

function lockStartedWith(locked) {
  for (const name of STARTED_WITH) form.elements[name].disabled = locked;
}

function forgetResuming() {
  resuming = null;
  resumeNote.hidden = true;
  submit.textContent = "Upload";
  lockStartedWith(false);
}

// --- sending --------------------------------------------------------------------------------

function postToStorage(upload, file, onProgress) {
  const request = new XMLHttpRequest();
  const done = new Promise((resolve, reject) => {
    const body = new FormData();
    for (const [name, value] of Object.entries(upload.fields)) body.append(name, value);
    body.append("file", file);
    request.open("POST", upload.url);
    request.upload.addEventListener("progress", (event) => {
      // The request body is the file plus the policy fields: measure against its total.
      if (event.lengthComputable) onProgress(Math.round((event.loaded / event.total) * file.size));
    });
    request.addEventListener("load", () =>
      request.status < 300 ? resolve() : reject(new Error(`The storage refused the file (HTTP ${request.status}).`)),
    );
    request.addEventListener("error", () => reject(new Error("The connection dropped. Check it and upload again.")));
    request.addEventListener("timeout", () => reject(new Error("The connection stalled. Check it and upload again.")));
    request.addEventListener("abort", () => reject(new Cancelled()));
    timeOutWhenStalled(request);
    request.send(body);
  });
  return { done, cancel: () => request.abort() };
}

async function send(id, upload, file) {
  videoId = id;
  lockForm();
  setPhase("uploading", "Uploading…");
  part("failure").removeAttribute("role");
  showRetry(null);
  button("pause").hidden = upload.kind !== "multipart";
  button("resume").hidden = true;
  announce(`Uploading ${file.name}.`);
  window.addEventListener("beforeunload", warnBeforeLeaving);
  const meter = new Meter(file.size);
  const onProgress = (sent) => showTransfer(meter.update(sent));
  try {
    if (upload.kind === "multipart") {
      localStorage.setItem(rememberKey(file), id);
      const parts = new PartUpload(id, file, { onProgress, onRetry: showRetry });
      transfer = parts;
      await parts.prepare();
      meter.restart();
      await parts.run();
      localStorage.removeItem(rememberKey(file));
    } else {
      transfer = postToStorage(upload, file, onProgress);
      await transfer.done;
    }
  } catch (failure) {
    if (failure instanceof Cancelled) return;
    if (upload.kind !== "multipart") api("DELETE", `/api/videos/${id}/`).catch(() => {});
    return fail("The upload failed", failure.message);
  }
  window.removeEventListener("beforeunload", warnBeforeLeaving);
  transfer = null;
  await followProcessing(id);
}

async function followProcessing(id) {
  setPhase("processing", "Uploaded. Processing…");
  announce("Upload complete. The video is being processed.");
  processingBar.removeAttribute("value");
  const began = performance.now();
  let percent = null;
  const tick = () => {
    const done = percent === null ? "" : ` · ${percent}% done`;
    part("elapsed").textContent = `Processing for ${formatDuration((performance.now() - began) / 1000)}${done}`;
  };
  tick();
  const clock = setInterval(tick, 1000);
  let watching = false;
  const final = await followStatus(id, (video) => {
    const done = percentDone(video);
    if (done !== null) {
      percent = done;
      processingBar.value = percent;
      tick();
    }
    // The watch page plays the start as soon as the first segments are published.
    if (video.playable && !watching && video.status !== "ready") {
      watching = true;
      sayWhenReady(id, readyMessage(video.title));
      window.location.assign(`/v/${id}/`);
    }
  }, (trouble) => say(serverTrouble, trouble));
  clearInterval(clock);
  say(serverTrouble, "");
  if (watching) return;
  if (final?.status === "ready") {
    setPhase("ready", "Ready!");
    announce("The video is ready. Opening it…");
    flash(readyMessage(final.title));
    window.location.assign(`/v/${id}/`);
  } else if (final?.status === "failed") {
    fail("This video could not be processed", final.error || "The file could not be read as a video.");
    form.elements.file.value = "";
  } else {
    fail("This video is gone", "It was deleted while it was being processed.");
  }
}

// --- controls -------------------------------------------------------------------------------

function setPaused(paused) {
  if (paused) transfer?.pause();
  else transfer?.resume();
  button("pause").hidden = paused;
  button("resume").hidden = !paused;
  button(paused ? "resume" : "pause").focus();
  part("phase").textContent = paused ? "Paused" : "Uploading…";
  announce(paused ? "Upload paused." : "Upload resumed.");
}

button("pause").addEventListener("click", () => setPaused(true));
button("resume").addEventListener("click", () => setPaused(false));

button("cancel").addEventListener("click", async () => {
  if (!transfer) return;
  transfer.cancel();
  const answer = await api("DELETE", `/api/videos/${videoId}/`);
  const file = form.elements.file.files[0];
  if (file) localStorage.removeItem(rememberKey(file));
  section.hidden = true;
  unlockForm();
  forgetResuming();
  if (answer.ok || answer.status === 404) notify("Upload cancelled: nothing was kept.");
  else if (unavailable(answer)) {
    showErrors({}, "The upload stopped, but the server could not be reached to remove it: delete it from My videos.");
  }
  else showErrors({}, explain(answer, "The upload stopped, but it could not be removed: delete it from My videos."));
});

// --- resuming: the same file chosen again ---------------------------------------------------

form.elements.file.addEventListener("change", async () => {
  clearErrors();
  const file = form.elements.file.files[0];
  forgetResuming();
  const id = file && localStorage.getItem(rememberKey(file));
  if (!id) return;
  const [parts, video] = await Promise.all([api("GET", `/api/videos/${id}/parts/`), api("GET", `/api/videos/${id}/`)]);
  if (unavailable(parts) || unavailable(video)) {
    resumeNote.textContent =
      "You started uploading this file before, but PetTube is not answering: choose it again in a moment to resume.";
    resumeNote.hidden = false;
    return;
  }
  if (!parts.ok || !video.ok) {
    localStorage.removeItem(rememberKey(file)); // gone, complete or not this person's: nothing to resume
    return;
  }
  resuming = id;
  const stored = parts.data.parts.reduce((sum, stored) => sum + stored.size, 0);
  for (const name of STARTED_WITH) form.elements[name].value = video.data[name];
  lockStartedWith(true);
  resumeNote.textContent = `You started uploading this file as “${video.data.title}”: ${formatBytes(stored)} of ${formatBytes(file.size)} arrived. It continues where it stopped.`;
  resumeNote.hidden = false;
  submit.textContent = "Resume upload";
});

onSubmit(form, async (event) => {
  event.preventDefault();
  clearErrors();
  const file = form.elements.file.files[0];
  if (resuming) return send(resuming, { kind: "multipart" }, file);
  const errors = problems(file);
  if (Object.keys(errors).length) return showErrors(errors);
  lockForm();
  const start = await api("POST", "/api/videos/", {
    title: form.elements.title.value.trim(),
    description: form.elements.description.value,
    pet: form.elements.pet.value,
    pets: tickedPets(form),
    visibility: form.elements.visibility.value,
    filename: file.name,
    content_type: file.type || "video/mp4",
    size: file.size,
  });
  if (!start.ok) {
    unlockForm();
    const fieldErrors = start.data?.errors || {};
    const message = Object.keys(fieldErrors).length ? "" : explain(start, `The upload could not start (HTTP ${start.status}).`);
    return showErrors(fieldErrors, message);
  }
  await send(start.data.id, start.data.upload, file);
});
