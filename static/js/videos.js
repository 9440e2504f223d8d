// Watch and "my videos" pages: delete after a confirmation dialog, who can watch, the live
// status of unfinished videos, and resuming an interrupted large upload by choosing its file again.
import { api, explain } from "./api.js";
import { say, sendFrom, troubleNote } from "./forms.js";
import { Cancelled, PartUpload } from "./multipart.js";
import { Meter, describeRetry, describeTransfer } from "./progress.js";
import { flash, notify, readyMessage, takeReadyNotice } from "./site.js";
import { followStatus, percentDone, statusSentence } from "./status.js";

const dialog = document.getElementById("delete-dialog");
const uploads = new Map(); // video id → its upload resumed on this page

function confirmDelete(title) {
  document.getElementById("delete-dialog-text").textContent = `“${title}” and its files will be deleted for good.`;
  dialog.returnValue = "";
  dialog.showModal();
  return new Promise((resolve) => dialog.addEventListener("close", () => resolve(dialog.returnValue === "delete"), { once: true }));
}

for (const button of document.querySelectorAll("button[data-delete]")) {
  button.addEventListener("click", async () => {
    const title = button.dataset.title;
    if (!(await confirmDelete(title))) return button.focus();
    uploads.get(button.dataset.delete)?.cancel();
    // Other scripts of the page (the comments) stop asking about the video meanwhile.
    document.dispatchEvent(new CustomEvent("pettube:deleting", { detail: button.dataset.delete }));
    const answer = await sendFrom(button, () => api("DELETE", `/api/videos/${button.dataset.delete}/`), {
      failed: (failure) => (failure.status === 404 ? "" : explain(failure, "The video could not be deleted.")),
    });
    if (!answer.ok && answer.status !== 404) { // a 404: it is gone already
      document.dispatchEvent(new CustomEvent("pettube:delete-failed", { detail: button.dataset.delete }));
      return button.focus();
    }
    if (button.dataset.after) {
      flash(`“${title}” was deleted.`);
      return window.location.assign(button.dataset.after);
    }
    const row = button.closest("tr");
    (row.nextElementSibling || row.previousElementSibling)?.querySelector("a")?.focus();
    row.remove();
    notify(`“${title}” was deleted.`);
  });
}

// "My videos": who can watch, changed in place.
for (const select of document.querySelectorAll("select[data-visibility]")) {
  let saved = select.value;
  select.addEventListener("change", async () => {
    const change = { visibility: select.value };
    const { ok, data } = await sendFrom(select, () => api("PATCH", `/api/videos/${select.dataset.visibility}/`, change), {
      failed: (answer) => explain(answer, "The change could not be saved."),
    });
    if (ok) saved = data.visibility;
    else select.value = saved;
  });
}

// --- live status ----------------------------------------------------------------------------

const finished = (video) => video.status === "ready" || video.status === "failed";

function showStatus(element, video) {
  const percent = video.status === "processing" ? percentDone(video) : null;
  for (const badge of element.querySelectorAll(".status")) {
    badge.textContent = percent === null ? video.status : `${video.status} ${percent}%`;
    badge.className = `status status-${video.status}`;
  }
  const placeholder = element.querySelector(".player-placeholder");
  if (placeholder) placeholder.textContent = statusSentence(video);
  const encoding = element.querySelector(".encoding");
  if (encoding && video.status === "processing") {
    const sofar = percent === null ? "Still encoding." : `Still encoding: ${percent}%.`;
    encoding.textContent = `${sofar} You are watching what is ready so far.`;
  } else if (encoding && finished(video)) encoding.remove();
}

function showGone(element) {
  for (const badge of element.querySelectorAll(".status")) {
    badge.textContent = "deleted";
    badge.className = "status status-failed";
  }
  const sentence = element.querySelector(".player-placeholder, .encoding");
  if (sentence) sentence.textContent = "This video is gone: it was deleted.";
  element.querySelector("[data-resume]")?.remove();
}

// Follows the video of `element` (see status.js), saying near `shown` while the server is not answering.
function follow(element, shown, onChange) {
  const trouble = troubleNote(shown);
  return followStatus(element.dataset.videoId, onChange, (text) => say(trouble, text)).finally(() => say(trouble, ""));
}

function followWatchPage(element) {
  // Watching the start already, the player reloads its playlist by itself until the end; a page
  // without a player shows one as soon as the start can be watched.
  const hasPlayer = Boolean(element.querySelector("#player"));
  follow(element, element.querySelector(".player-placeholder, .encoding, .status"), (video) => {
    showStatus(element, video);
    if (!hasPlayer && video.playable && !finished(video)) window.location.reload();
  }).then((video) => {
    if (!video) return showGone(element);
    if (video.status !== "ready") return;
    takeReadyNotice(element.dataset.videoId); // said here, below
    if (hasPlayer) return notify(readyMessage(video.title));
    flash(readyMessage(video.title));
    window.location.reload();
  });
}

function followRow(row) {
  follow(row, row.querySelector(".status"), (video) => showStatus(row, video)).then((video) => {
    if (!video) return showGone(row);
    if (video.status === "ready" && video.thumbnail_url) {
      const image = document.createElement("img");
      image.src = video.thumbnail_url;
      image.alt = "";
      row.querySelector(".mini").replaceChildren(image);
    }
    if (video.status === "failed") {
      const reason = document.createElement("div");
      reason.className = "reason";
      reason.textContent = video.error;
      row.querySelector(".status").after(reason);
    }
    row.querySelector("[data-resume]")?.remove();
    notify(video.status === "ready" ? `“${video.title}” is ready.` : `“${video.title}” could not be processed.`);
  });
}

for (const element of document.querySelectorAll("[data-video-id][data-status]")) {
  if (element.matches(".watch") && element.dataset.status === "ready") {
    const notice = takeReadyNotice(element.dataset.videoId); // it became ready on the way here
    if (notice) notify(notice);
  }
  if (!["uploading", "processing"].includes(element.dataset.status)) continue;
  if (element.matches(".watch")) followWatchPage(element);
  else followRow(element);
}

// --- resuming an upload from its row --------------------------------------------------------

for (const box of document.querySelectorAll("[data-resume]")) {
  const row = box.closest("[data-video-id]");
  const input = box.querySelector("input[type=file]");
  const bar = box.querySelector("progress");
  const text = box.querySelector("[data-testid=resume-text]");
  input.addEventListener("change", async () => {
    const file = input.files[0];
    if (!file) return;
    if (file.size !== Number(box.dataset.size)) {
      text.textContent = "This is not the file that was being uploaded (its size differs). Choose that one.";
      return;
    }
    const meter = new Meter(file.size);
    const upload = new PartUpload(row.dataset.videoId, file, {
      onProgress: (sent) => {
        const progress = meter.update(sent);
        bar.value = progress.percent;
        text.textContent = `Uploading: ${describeTransfer(progress)}`;
      },
      onRetry: (retry) => {
        if (retry) text.textContent = describeRetry(retry);
      },
    });
    uploads.set(row.dataset.videoId, upload);
    box.querySelector("label").hidden = true;
    bar.hidden = false;
    try {
      await upload.run();
      text.textContent = "Uploaded. Processing…";
      notify(`“${row.dataset.title}” is uploaded and being processed.`);
    } catch (failure) {
      if (failure instanceof Cancelled) return;
      text.textContent = failure.message;
      box.querySelector("label").hidden = false;
      bar.hidden = true;
    } finally {
      uploads.delete(row.dataset.videoId);
    }
  });
}
