// Watch page: Share. The browser's own share sheet where it has one (phones); otherwise a dialog
// with the link (from the player's current time, if asked), the embed code, and copy buttons.
import { copyInto } from "./clipboard.js";

const button = document.querySelector("[data-share]");
const dialog = document.getElementById("share-dialog");
const player = document.getElementById("player");

function clock(seconds) {
  const total = Math.floor(seconds);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const rest = String(total % 60).padStart(2, "0");
  return hours ? `${hours}:${String(minutes).padStart(2, "0")}:${rest}` : `${minutes}:${rest}`;
}

if (button && dialog) {
  const link = dialog.querySelector("#share-link");
  const startAt = dialog.querySelector("#share-start");
  const startLabel = dialog.querySelector("[data-start-label]");
  const status = dialog.querySelector("[data-testid=share-status]");
  let start = 0;

  const showLink = () => {
    const url = new URL(link.dataset.url);
    if (startAt.checked && start > 0) url.searchParams.set("t", String(start));
    link.value = url.href;
  };

  const copy = (field) => copyInto(field, status, field === link ? "Link" : "Embed code");

  button.addEventListener("click", async () => {
    start = Math.floor(player?.currentTime || 0);
    if (navigator.share) {
      try {
        await navigator.share({ title: button.dataset.title, url: link.dataset.url });
        return;
      } catch (error) {
        if (error.name === "AbortError") return; // the viewer closed the share sheet
      }
    }
    startLabel.textContent = clock(start);
    startAt.disabled = start === 0;
    if (start === 0) startAt.checked = false;
    status.textContent = "";
    showLink();
    dialog.showModal();
  });
  startAt.addEventListener("change", showLink);
  for (const copier of dialog.querySelectorAll("[data-copy]")) {
    copier.addEventListener("click", () => copy(dialog.querySelector(`#${copier.dataset.copy}`)));
  }
}
