// The shorts page: one clip per screen in a vertical scroll-snap feed. A small fixed pool of
// <video> elements (at most PLAYERS decoders alive) moves from clip to clip: the previous clip,
// the visible one and the next keep a player (the next one loaded to its first segment, its first
// frame decoded), and the clip after it is preloaded into memory (shorts-preload.js); after a
// swipe, the players move on once the feed has come to rest, not in the middle of it. The clips
// beside the visible one start, muted, as a finger goes down, so the one it reveals is moving as
// it comes onto the screen; a clip pauses once it has left.
import { api, backoffMs, explain, sleep, unavailable } from "./api.js";
import { copyInto } from "./clipboard.js";
import { commentItem } from "./comment-item.js";
import { sendFrom } from "./forms.js";
import { notify } from "./site.js";
import { chosen, codecChosen, forgetAllBut, preload, preloadingLoader } from "./shorts-preload.js";
import { reportView } from "./views.js";

const PLAYERS = 3;
const PAGE_AHEAD = 3; // the next page is asked for when the viewer is this many clips from the end
const PLAYING_BUFFER_SECONDS = 30;
const WAITING_BUFFER_SECONDS = 1; // a player of a clip not on screen stops after its lead segment
const SOUND = "pettube:shorts-sound";
const REFRESH_AFTER_MS = 800; // the counts are asked for once the clip has started, not before
const FINGER_SLOP_PX = 8;

const feed = document.querySelector("[data-testid=shorts]");
const template = document.getElementById("short-template");
const soundButton = document.querySelector("[data-sound]");
const sheet = document.getElementById("comments-sheet");
const still = window.matchMedia("(prefers-reduced-motion: reduce)");
const signedIn = feed.dataset.signedIn === "true";
const viewSeconds = Number(feed.dataset.viewSeconds || 5);
const Hls = window.Hls?.isSupported() ? window.Hls : null;
const hlsConfig = Hls && {
  enableWorker: false,
  autoStartLoad: false,
  capLevelToPlayerSize: true,
  maxBufferLength: WAITING_BUFFER_SECONDS,
  loader: preloadingLoader(Hls),
};

// Each clip: {data (its API item), article, player (or null), viewCounted, fresh (counts asked for),
// held (paused by the viewer), started (played by the viewer, with reduced motion)}.
const clips = [];
const players = [];
let current = -1;
let nextCursor = null;
let fetching = null;
let soundOn = sessionStorage.getItem(SOUND) === "on";
const preloading = new AbortController();

// --- clips on the page ----------------------------------------------------------------------

function plural(count, word) {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

function link(text, href) {
  const anchor = document.createElement("a");
  anchor.textContent = text;
  anchor.href = href;
  return anchor;
}

function showLikes(clip) {
  const button = clip.article.querySelector("[data-like]");
  button.querySelector("[data-likes]").textContent = String(clip.data.likes);
  button.setAttribute("aria-pressed", String(Boolean(clip.data.liked)));
  button.setAttribute("aria-label", `${clip.data.liked ? "Liked" : "Like"}: ${plural(clip.data.likes, "like")}`);
}

function addClip(data) {
  const article = template.content.firstElementChild.cloneNode(true);
  const clip = { data, article, player: null, viewCounted: false, fresh: false, held: false, started: false };
  const number = clips.length;
  article.dataset.videoId = data.id;
  article.dataset.testid = "short";
  article.setAttribute("aria-label", data.title);
  article.inert = true;
  // The height of its picture across the stage's width (site.css: where it keeps to the edge).
  if (data.width && data.height) article.style.setProperty("--picture-height", `${(100 * data.height) / data.width}cqw`);
  const poster = article.querySelector(".poster");
  if (data.thumbnail_url) poster.src = data.thumbnail_url;
  poster.loading = number < 2 ? "eager" : "lazy";
  const title = article.querySelector("[data-title]");
  title.textContent = data.title;
  title.href = data.watch_url;
  const pets = data.pets.length
    ? data.pets.flatMap((pet, at) => [...(at ? [", "] : []), link(pet.name, `/p/${pet.id}/`)])
    : [link(data.pet, `/?species=${encodeURIComponent(data.pet)}`)];
  article.querySelector("[data-pets]").append(...pets);
  const owner = article.querySelector("[data-owner]");
  owner.textContent = data.owner;
  owner.href = data.owner_url;
  showLikes(clip);
  article.querySelector("[data-tap]").addEventListener("click", () => toggle(clip));
  article.querySelector("[data-like]").addEventListener("click", (event) => like(clip, event.currentTarget));
  article.querySelector("[data-comments]").addEventListener("click", () => openComments(clip));
  article.querySelector("[data-share]").addEventListener("click", () => share(clip));
  clips.push(clip);
  return article;
}

function addPage(page) {
  nextCursor = page.next_cursor;
  const articles = page.items.map(addClip);
  const end = feed.querySelector(".short-end");
  if (end) end.before(...articles);
  else feed.append(...articles);
  if (!nextCursor && clips.length && !end) {
    const last = document.createElement("p");
    last.className = "short-end";
    last.inert = true;
    last.append("That is every short for now. ", link("Back to the videos", "/"));
    feed.append(last);
  }
  if (nearAt !== null) markNear();
}

async function fetchMore() {
  if (fetching || !nextCursor) return;
  const query = new URLSearchParams({ cursor: nextCursor });
  if (feed.dataset.species) query.set("species", feed.dataset.species);
  fetching = (async () => {
    for (let attempt = 1; ; attempt += 1) {
      const answer = await api("GET", `${feed.dataset.api}?${query}`);
      if (answer.ok) return addPage(answer.data);
      if (!unavailable(answer)) return notify(explain(answer, "More shorts could not be loaded."));
      await sleep(backoffMs(attempt, answer));
    }
  })();
  await fetching;
  fetching = null;
  if (!unsettled) place(); // otherwise once the feed has come to rest
}

// --- players --------------------------------------------------------------------------------

function newPlayer() {
  const video = document.createElement("video");
  video.playsInline = true;
  video.loop = true;
  video.preload = "auto";
  video.muted = true;
  video.disablePictureInPicture = true;
  video.setAttribute("aria-hidden", "true"); // the clip's button and title say what it is
  video.addEventListener("loadeddata", () => standAtFirstFrame(video));
  return { video, hls: null, clip: null, stopViewing: null };
}

function detach(player) {
  player.hls?.destroy();
  player.hls = null;
  player.stopViewing?.();
  player.stopViewing = null;
  if (player.clip) player.clip.player = null;
  player.clip = null;
}

function attach(player, clip) {
  detach(player);
  player.clip = clip;
  clip.player = player;
  const { video } = player;
  video.muted = !soundOn;
  clip.article.querySelector(".poster").after(video); // painted over it: the poster shows until the first frame
  // Its view counts as on the watch page (views.js): once this player has played the clip a while.
  if (clip.data.view_ticket && !clip.viewCounted) {
    player.stopViewing = reportView(video, { videoId: clip.data.id, ticket: clip.data.view_ticket, seconds: viewSeconds },
      () => { clip.viewCounted = true; });
  }
  const source = clip.data.playback.hls;
  if (!Hls) {
    video.src = source;
    return;
  }
  const hls = new Hls(hlsConfig);
  player.hls = hls;
  hls.on(Hls.Events.MANIFEST_PARSED, async () => {
    await codecChosen;
    if (player.hls !== hls) return; // given to another clip meanwhile
    hls.startLevel = chosenLevel(hls.levels);
    hls.startLoad(0);
  });
  hls.loadSource(source);
  hls.attachMedia(video);
}

// The hls.js level of the variant shorts-preload.js chose to preload (the same codec and rung).
function chosenLevel(levels) {
  const variants = levels.map((level) => ({ width: level.width, height: level.height, codecs: level.videoCodec }));
  return variants.indexOf(chosen(variants, stageBox()));
}

// hls.js starts an H.264 rendition's timeline at its first decoding time, and x264's B-frames
// show the first picture two frames later (67 ms at 30 fps). Played from 0, a clip would hold
// its first frame that long before it moved; it waits where its picture starts instead (a start
// a second or more in is no B-frame delay, and is left to hls.js).
function standAtFirstFrame(video) {
  const start = video.buffered.length ? video.buffered.start(0) : 0;
  if (video.currentTime < start && start < 1) video.currentTime = start;
}

function stageBox() {
  const stage = clips[Math.max(current, 0)]?.article.querySelector(".stage");
  return stage ? { width: stage.clientWidth, height: stage.clientHeight } : { width: innerWidth, height: innerHeight };
}

// Gives the previous, the visible and the next clip a player (taking back the others'), and
// preloads the clip after the next.
function place() {
  if (current < 0) return;
  const wanted = [current, current + 1, current - 1].filter((number) => number >= 0 && number < clips.length);
  const free = players.filter((player) => !player.clip || !wanted.includes(clips.indexOf(player.clip)));
  for (const number of wanted) {
    const clip = clips[number];
    if (clip.player) continue;
    let player = free.shift();
    if (!player && players.length < PLAYERS) {
      player = newPlayer();
      players.push(player);
    }
    if (player) attach(player, clip);
  }
  const ahead = clips[current + 2];
  const keep = new Set(clips.slice(Math.max(current - 1, 0), current + 3).map((clip) => clip.data.id));
  forgetAllBut(keep);
  if (ahead && !ahead.player) preload(ahead.data.id, ahead.data.playback.hls, stageBox(), preloading.signal);
  play();
  if (clips.length - current <= PAGE_AHEAD) fetchMore();
}

// --- what plays -----------------------------------------------------------------------------

// The feed's position in clips (1.5: halfway between the second and the third).
function position() {
  return feed.clientHeight ? feed.scrollTop / feed.clientHeight : 0;
}

// Plays the clips on screen (unless the viewer paused them, or asked for no motion) and pauses
// the others.
function play() {
  const at = position();
  for (const player of players) {
    const clip = player.clip;
    if (!clip) continue;
    const onScreen = Math.abs(clips.indexOf(clip) - at) < 0.995;
    const wanted = onScreen && !clip.held && !(still.matches && !clip.started);
    if (player.hls) player.hls.config.maxBufferLength = onScreen ? PLAYING_BUFFER_SECONDS : WAITING_BUFFER_SECONDS;
    if (wanted && player.video.paused) start(player);
    else if (!wanted && !player.video.paused) player.video.pause();
    if (!onScreen) clip.started = false;
    showPlaying(clip);
  }
}

function start(player) {
  const { video } = player;
  video.muted = !soundOn;
  video.play().catch((failure) => {
    if (failure.name !== "NotAllowedError" || video.muted) return;
    // The browser wants a tap on this page before sound: play silently until then (the session
    // still asks for sound, on the next page too).
    soundOn = false;
    for (const player of players) player.video.muted = true;
    showSound(false);
    video.play().catch(() => {});
  });
}

function showPlaying(clip) {
  const paused = !clip.player || clip.player.video.paused;
  const wanted = clip === clips[current] ? !(clip.held || (still.matches && !clip.started)) : false;
  const button = clip.article.querySelector("[data-tap]");
  button.setAttribute("aria-label", wanted && !paused ? `Pause ${clip.data.title}` : `Play ${clip.data.title}`);
  button.classList.toggle("paused", !wanted);
}

function toggle(clip) {
  const playing = clip.player && !clip.player.video.paused;
  clip.held = playing;
  clip.started = !playing;
  play();
  showPlaying(clip);
}

// A finger going down may be about to reveal the next clip or the previous one: both start
// playing, muted, at once. A clip with sound shows its first frame some 60 ms after play() (its
// audio output starts first, muted or not), so this way it is moving as it comes into view. The
// finger's first move says which one it reveals (it plays on, with the session's sound); the
// other, or both if the finger lifts without moving, go back to where they were.
let fingerFrom = null;
let fingerDown = false;
let warming = []; // [{player, clip, from}]: the neighbours started as the finger went down

function onTouchStart(event) {
  fingerDown = true;
  settle(); // a swipe begun before the feed came to rest from the one before: its players first
  keepNear(Math.round(position())); // already so, unless the feed is still moving from a swipe before
  fingerFrom = event.touches.length === 1 ? event.touches[0].clientY : null;
  if (fingerFrom === null || current < 0 || still.matches) return;
  for (const clip of [clips[current - 1], clips[current + 1]]) {
    const player = clip?.player;
    if (!player || clip.held || !player.video.paused) continue;
    warming.push({ player, clip, from: player.video.currentTime });
    player.video.muted = true;
    player.video.play().catch(() => {});
  }
}

function stopWarming(except = null) {
  for (const { player, clip, from } of warming) {
    if (clip === except || player.clip !== clip) continue; // revealed, or its player moved on
    player.video.pause();
    player.video.currentTime = from;
  }
  warming = [];
}

function onTouchMove(event) {
  if (fingerFrom === null || event.touches.length !== 1 || current < 0) return;
  const moved = event.touches[0].clientY - fingerFrom;
  if (Math.abs(moved) < FINGER_SLOP_PX) return;
  fingerFrom = null;
  const revealed = clips[current + (moved < 0 ? 1 : -1)];
  stopWarming(revealed);
  if (revealed?.player && !revealed.held && !still.matches) start(revealed.player);
}

function onTouchEnd(event) {
  fingerDown = event.touches.length > 0;
  restLater();
  stopWarming(); // a tap, or a finger that did not move far enough to reveal a clip
  play();
}

// One swipe moves one clip. Chromium lets a fast flick fly past a `scroll-snap-stop: always` clip
// on to the one after, so only the clip the feed rests on and the two beside it are snap positions,
// and the clips below them are not laid out (site.css): a flick down the feed stops where the feed
// ends, on the next clip; a flick back up comes to rest on the clip above (a very fast one may
// carry on a little and come back to it), with the browser's own physics. They change once the feed
// has come to rest, not during a swipe.
let nearAt = null;

function keepNear(number) {
  if (number === nearAt) return;
  nearAt = number;
  markNear();
}

function markNear() {
  for (const [at, element] of snapAreas().entries()) element.classList.toggle("near", Math.abs(at - nearAt) <= 1);
}

function snapAreas() {
  const end = feed.querySelector(".short-end");
  return [...clips.map((clip) => clip.article), ...(end ? [end] : [])];
}

function onScrollEnd() {
  if (!fingerDown) keepNear(Math.round(position()));
  settle();
}

// Where the browser has no scrollend event, the feed has come to rest once it has not moved for
// SCROLL_QUIET_MS with no finger on it (where it has one, that also settles a clip should a
// scrollend not come).
const SCROLL_QUIET_MS = 150;
let quiet = 0;

function restLater() {
  clearTimeout(quiet);
  quiet = setTimeout(() => {
    if (!("onscrollend" in feed)) onScrollEnd();
    else if (!fingerDown) settle();
  }, SCROLL_QUIET_MS);
}

// What a new visible clip needs beyond playing and the address (the players moved to its
// neighbours, the clip after them preloaded, the next page asked for) waits until the feed has
// come to rest: done as the feed passed halfway, it took the page's main thread 4-18 ms in the
// middle of the swipe (hls.js torn down and set up again).
let unsettled = false;

function settle() {
  if (!unsettled) return;
  unsettled = false;
  place();
}

function onScroll() {
  restLater();
  const nearest = Math.round(position());
  const end = feed.querySelector(".short-end");
  if (end) end.inert = nearest < clips.length;
  if (nearest !== current && nearest < clips.length) become(nearest);
  else play();
}

function become(number, atRest = false) {
  const before = clips[current];
  const focusWasIn = Boolean(before?.article.contains(document.activeElement));
  if (before) {
    before.article.inert = true;
    before.held = false;
  }
  current = number;
  const clip = clips[number];
  clip.article.inert = false;
  const species = feed.dataset.species ? `?species=${encodeURIComponent(feed.dataset.species)}` : "";
  history.replaceState(history.state, "", `${clip.data.url}${species}`);
  document.title = `${clip.data.title} · Shorts · PetTube`;
  if (focusWasIn) clip.article.focus({ preventScroll: true });
  unsettled = true;
  play(); // the clips that already have a player play or pause now; the rest once the feed rests
  if (atRest) settle();
  setTimeout(() => refresh(clip), REFRESH_AFTER_MS);
}

// The like count and whether the viewer likes it, as they are now (a clip's card may be older).
async function refresh(clip) {
  if (clip.fresh) return;
  clip.fresh = true;
  const { ok, data } = await api("GET", `/api/videos/${clip.data.id}/`);
  if (!ok) return;
  Object.assign(clip.data, { likes: data.likes, views: data.views, liked: data.liked });
  showLikes(clip);
}

function move(step) {
  const target = Math.max(0, Math.min(current + step, clips.length - 1));
  keepNear(target);
  feed.scrollTo({ top: target * feed.clientHeight, behavior: still.matches ? "instant" : "smooth" });
}

// --- sound ----------------------------------------------------------------------------------

function showSound(on) {
  soundButton.setAttribute("aria-pressed", String(on));
  soundButton.textContent = on ? "Mute" : "Unmute";
}

soundButton.addEventListener("click", () => {
  soundOn = !soundOn;
  sessionStorage.setItem(SOUND, soundOn ? "on" : "off");
  showSound(soundOn);
  for (const player of players) player.video.muted = !soundOn;
});

// --- like, comments, share --------------------------------------------------------------------

async function like(clip, button) {
  if (!signedIn) {
    location.assign(`${feed.dataset.login}?next=${encodeURIComponent(location.pathname + location.search)}`);
    return;
  }
  const method = clip.data.liked ? "DELETE" : "POST";
  const { ok, data } = await sendFrom(button, () => api(method, `/api/videos/${clip.data.id}/like/`));
  if (!ok) return;
  Object.assign(clip.data, { liked: data.liked, likes: data.likes });
  showLikes(clip);
}

let sheetClip = null;
let sheetCursor = null;
const sheetList = sheet.querySelector("[data-testid=sheet-comments]");
const sheetMore = sheet.querySelector("[data-more]");
const sheetForm = sheet.querySelector("[data-comment-form]");

async function loadComments() {
  const clip = sheetClip;
  const query = sheetCursor ? `?cursor=${encodeURIComponent(sheetCursor)}` : "";
  const answer = await sendFrom(sheetMore, () => api("GET", `/api/videos/${clip.data.id}/comments/${query}`), {
    failed: (failure) => explain(failure, "The comments could not be loaded."),
  });
  if (clip !== sheetClip) return;
  if (answer.ok) {
    sheetList.append(...answer.data.items.map(commentItem));
    sheetCursor = answer.data.next_cursor;
    if (!sheetList.children.length) sheetList.append(Object.assign(document.createElement("li"), { textContent: "No comments yet." }));
  }
  sheetMore.hidden = answer.ok && !sheetCursor;
}

function openComments(clip) {
  sheetClip = clip;
  sheetCursor = null;
  sheetList.replaceChildren();
  sheet.querySelector("#comments-sheet-title").textContent = `Comments on “${clip.data.title}”`;
  const signIn = sheet.querySelector("[data-sign-in]");
  if (signIn) signIn.href = `${feed.dataset.login}?next=${encodeURIComponent(location.pathname + location.search)}`;
  sheet.showModal();
  loadComments();
}

sheetMore.addEventListener("click", loadComments);
sheet.querySelector("[data-close]").addEventListener("click", () => sheet.close());
sheet.addEventListener("click", (event) => event.target === sheet && sheet.close()); // the backdrop
sheet.addEventListener("close", () => sheetClip?.article.querySelector("[data-comments]").focus());
sheetForm?.addEventListener("submit", async (event) => {
  event.preventDefault();
  const clip = sheetClip;
  const post = () => api("POST", `/api/videos/${clip.data.id}/comments/`, { text: sheetForm.elements.text.value });
  const { ok, data } = await sendFrom(sheetForm.querySelector("button"), post, {
    box: sheetForm.querySelector("[data-testid=sheet-comment-error]"),
    failed: (answer) => explain(answer, "The comment could not be posted."),
  });
  if (!ok || clip !== sheetClip) return;
  sheetForm.reset();
  if (sheetList.firstElementChild && !sheetList.firstElementChild.querySelector("p")) sheetList.replaceChildren();
  sheetList.prepend(commentItem(data));
});

// Share: the browser's own share sheet where it has one (phones); otherwise the share dialog of
// the watch page (sharing/), with this short's link and embed code.
const shareDialog = document.getElementById("share-dialog");
const shareStatus = shareDialog.querySelector("[data-testid=share-status]");

async function share(clip) {
  if (navigator.share) {
    try {
      await navigator.share({ title: clip.data.title, url: clip.data.share_url });
      return;
    } catch (failure) {
      if (failure.name === "AbortError") return; // the viewer closed the share sheet
    }
  }
  shareDialog.querySelector("#share-dialog-title").textContent = `Share “${clip.data.title}”`;
  shareDialog.querySelector("#share-link").value = clip.data.share_url;
  shareDialog.querySelector("#share-embed").value = clip.data.embed_code;
  shareStatus.textContent = "";
  shareDialog.showModal();
}

function copy(field) {
  return copyInto(field, shareStatus, field.id === "share-link" ? "Link" : "Embed code");
}

for (const copier of shareDialog.querySelectorAll("[data-copy]")) {
  copier.addEventListener("click", () => copy(shareDialog.querySelector(`#${copier.dataset.copy}`)));
}
shareDialog.addEventListener("close", () => clips[current]?.article.querySelector("[data-share]").focus());

// --- keyboard -------------------------------------------------------------------------------

const KEYS = { ArrowDown: 1, j: 1, ArrowUp: -1, k: -1 };

document.addEventListener("keydown", (event) => {
  if (sheet.open || shareDialog.open || event.altKey || event.ctrlKey || event.metaKey) return;
  if (event.target.closest?.("input, textarea, select, [contenteditable]")) return;
  const step = KEYS[event.key];
  if (!step || current < 0) return;
  event.preventDefault();
  move(step);
});

// A mouse wheel's turn (or a trackpad's swipe, a stream of wheel events) moves one clip: the
// next move waits until the stream has paused for WHEEL_PAUSE_MS.
const WHEEL_PAUSE_MS = 250;
let wheelQuietAt = 0;

feed.addEventListener("wheel", (event) => {
  if (event.ctrlKey || Math.abs(event.deltaY) <= Math.abs(event.deltaX)) return;
  event.preventDefault();
  const now = performance.now();
  const quiet = now >= wheelQuietAt;
  wheelQuietAt = now + WHEEL_PAUSE_MS;
  if (quiet) move(Math.sign(event.deltaY));
}, { passive: false });

// --- start ----------------------------------------------------------------------------------

showSound(soundOn);
addPage(JSON.parse(document.getElementById("shorts-first-page").textContent));
feed.addEventListener("scroll", onScroll, { passive: true });
feed.addEventListener("scrollend", onScrollEnd, { passive: true });
feed.addEventListener("touchstart", onTouchStart, { passive: true });
feed.addEventListener("touchmove", onTouchMove, { passive: true });
feed.addEventListener("touchend", onTouchEnd, { passive: true });
feed.addEventListener("touchcancel", onTouchEnd, { passive: true });
still.addEventListener("change", play);
window.addEventListener("resize", () => feed.scrollTo({ top: current * feed.clientHeight, behavior: "instant" }));
document.addEventListener("visibilitychange", () => {
  if (document.hidden) for (const player of players) player.video.pause();
  else play();
});
window.addEventListener("pagehide", () => preloading.abort());
if (clips.length) {
  keepNear(0);
  become(0, true);
}
