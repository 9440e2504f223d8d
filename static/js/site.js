// Every page: the confirmation left by the previous page (flash), and times in the viewer's
// own time zone (the server writes UTC).
const FLASH = "pettube:flash";

export function flash(message) {
  sessionStorage.setItem(FLASH, message);
}

// Says `message` on this page, in the confirmation box (a polite live region).
export function notify(message) {
  const box = document.getElementById("flash");
  box.textContent = message;
  box.hidden = false;
}

// What the uploader is told once their video is ready.
export function readyMessage(title) {
  return `“${title}” is ready and on the feed.`;
}

// The upload page sends the uploader to watch the start of a video still being encoded; the
// watch page says it is ready once it is, whether that happens before it loads or during.
const READY_NOTICE = "pettube:ready-notice";

export function sayWhenReady(videoId, message) {
  sessionStorage.setItem(READY_NOTICE, JSON.stringify({ videoId, message }));
}

// The notice left for `videoId`, taken (null when there is none).
export function takeReadyNotice(videoId) {
  const notice = JSON.parse(sessionStorage.getItem(READY_NOTICE) || "null");
  if (notice?.videoId !== videoId) return null;
  sessionStorage.removeItem(READY_NOTICE);
  return notice.message;
}

function showFlash() {
  const message = sessionStorage.getItem(FLASH);
  if (!message) return;
  sessionStorage.removeItem(FLASH);
  notify(message);
}

function localTimes() {
  const withTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
  const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });
  for (const time of document.querySelectorAll("time[datetime]")) {
    const moment = new Date(time.getAttribute("datetime"));
    if (Number.isNaN(moment.getTime())) continue;
    time.textContent = (time.dataset.format === "date" ? dateOnly : withTime).format(moment);
    time.title = moment.toUTCString();
  }
}

for (const form of document.querySelectorAll("form[data-flash]")) {
  form.addEventListener("submit", () => flash(form.dataset.flash));
}
showFlash();
localTimes();

// The phone header: the search field and the account links open from their buttons (shown by
// the stylesheet on narrow screens only); one at a time, closed by Escape (back to its button)
// or by a click elsewhere.
function headerDisclosures() {
  const header = document.querySelector("header.top");
  const toggles = [...(header?.querySelectorAll("[data-opens]") ?? [])];
  if (!toggles.length) return;
  const close = (toggle) => {
    header.classList.remove(toggle.dataset.opens);
    toggle.setAttribute("aria-expanded", "false");
  };
  const open = (toggle) => {
    toggles.forEach(close);
    header.classList.add(toggle.dataset.opens);
    toggle.setAttribute("aria-expanded", "true");
    document.getElementById(toggle.getAttribute("aria-controls"))?.querySelector("input, a, button")?.focus();
  };
  for (const toggle of toggles) {
    toggle.hidden = false;
    toggle.addEventListener("click", () =>
      toggle.getAttribute("aria-expanded") === "true" ? close(toggle) : open(toggle),
    );
  }
  header.classList.add("enhanced");
  document.addEventListener("keydown", (event) => {
    const expanded = toggles.find((toggle) => toggle.getAttribute("aria-expanded") === "true");
    if (event.key !== "Escape" || !expanded) return;
    close(expanded);
    expanded.focus();
  });
  document.addEventListener("click", (event) => {
    if (!header.contains(event.target)) toggles.forEach(close);
  });
}

headerDisclosures();
