// The player (templates/videos/_player.html): Plyr (vendored, MIT) over adaptive HLS. Safari and
// iOS play HLS themselves (with the master playlist's SUBTITLES); elsewhere hls.js (vendored)
// feeds the video through Media Source Extensions, and the quality menu offers Auto and its
// levels; a browser with neither gets the MP4. Captions come from the <track>s, seek previews
// from the storyboard's WebVTT, chapters mark the seek bar and their list seeks. While the video
// is still encoding its playlists are EVENT playlists, which both reload until the end is published.
import Plyr from "../vendor/plyr-3.8.4/plyr.min.mjs";

const AUTO = 0; // Plyr's quality value for "let hls.js choose"
const SPEEDS = [0.5, 0.75, 1, 1.25, 1.5, 2];
const CONTROLS = ["play-large", "play", "progress", "current-time", "duration", "mute", "volume", "captions",
  "settings", "pip", "fullscreen"];

function playsHlsItself(video) {
  // Chromium also answers "maybe" here; only Apple's players, which have AirPlay, do it well.
  return Boolean(video.canPlayType("application/vnd.apple.mpegurl")) &&
    ("WebKitPlaybackTargetAvailabilityEvent" in window || !window.Hls?.isSupported());
}

// Where `video` gets its source: null when the browser plays it itself (Apple's HLS, or the MP4),
// else hls.js, which has started reading the master playlist (attached to the video later, once
// Plyr has wrapped it: Plyr keeps a copy of the element, which must not hold hls.js's blob URL).
// It loads nothing more until told to (setUp), so that a video deleted meanwhile is left alone.
function sourceOf(video) {
  if (playsHlsItself(video)) {
    // The master playlist carries the captions as SUBTITLES: the <track>s would show them twice.
    for (const track of video.querySelectorAll("track")) track.remove();
    video.src = video.dataset.hls;
    return null;
  }
  if (!window.Hls?.isSupported()) {
    if (video.dataset.mp4) video.src = video.dataset.mp4;
    return null;
  }
  // The captions are the <track>s; hls.js leaves the playlist's SUBTITLES to Apple's players.
  // With data-media-credentials (the owner of a private video behind CloudFront) segments are
  // fetched with the signed cookies the page set.
  const withCookies = "mediaCredentials" in video.dataset;
  const hls = new window.Hls({ enableWorker: false, capLevelToPlayerSize: true, enableWebVTT: false,
    autoStartLoad: false, startPosition: Number(video.dataset.start) || -1,
    xhrSetup: (xhr) => { xhr.withCredentials = withCookies; } });
  hls.loadSource(video.dataset.hls);
  hls.on(window.Hls.Events.LEVEL_SWITCHED, (_, { level }) => {
    const { width, height } = hls.levels[level];
    video.dataset.rendition = `${width}x${height}`;
  });
  video.hls = hls;
  return hls;
}

// Resolves with hls.js's levels once it has read the master playlist.
function levelsOf(hls) {
  if (hls.levels?.length) return Promise.resolve(hls.levels);
  return new Promise((resolve) => hls.once(window.Hls.Events.MANIFEST_PARSED, (_, data) => resolve(data.levels)));
}

// Quality menu: Auto, then each rung by its height; choosing one pins hls.js to it.
function qualityOptions(hls, levels) {
  const heights = [...new Set(levels.map((level) => level.height))].sort((a, b) => b - a);
  return {
    default: AUTO,
    options: [AUTO, ...heights],
    forced: true,
    onChange: (height) => {
      const index = height === AUTO ? -1 : hls.levels.findIndex((level) => level.height === height);
      hls.currentLevel = index; // switches now (flushing what is buffered), -1 back to automatic
    },
  };
}

// A play() that a pause() interrupts (a key pressed twice) rejects: that is no error.
function settle(result) {
  if (result instanceof Promise) result.catch((error) => { if (error.name !== "AbortError") throw error; });
}

// Keys, while the player has focus (WCAG 2.1.4: single-key shortcuts only on the focused player).
function shortcuts(player) {
  return {
    " ": () => player.togglePlay(),
    k: () => player.togglePlay(),
    j: () => player.rewind(10),
    l: () => player.forward(10),
    ArrowLeft: () => player.rewind(5),
    ArrowRight: () => player.forward(5),
    f: () => player.fullscreen.toggle(),
    m: () => { player.muted = !player.muted; },
    c: () => player.toggleCaptions(),
  };
}

function listenToKeys(player) {
  const actions = shortcuts(player);
  player.elements.container.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    // Inside the settings menu, and on buttons for space, the keys keep their usual meaning.
    if (target.closest(".plyr__menu__container") || (event.key === " " && target.matches("button"))) return;
    if (target.matches("[data-plyr=volume]") && event.key.startsWith("Arrow")) return; // the slider's own steps
    const action = actions[event.key.length === 1 ? event.key.toLowerCase() : event.key];
    if (!action) return;
    event.preventDefault();
    event.stopPropagation();
    settle(action());
  }, true);
}

function seekOnChapters(player) {
  for (const button of document.querySelectorAll(".chapters button[data-seek]")) {
    button.addEventListener("click", () => {
      player.currentTime = Number(button.dataset.seek);
      settle(player.play());
      player.elements.container.focus();
    });
  }
}

async function setUp(video) {
  const hls = sourceOf(video);
  // Deleting the video removes its files: stop asking for them (a file asked for meanwhile would
  // come back 404), and take up again if the delete failed (videos.js sends both). The delete can
  // come before the player is built, while hls.js reads the master playlist (asked for already,
  // and needed if the delete fails): the player is then built without asking for anything more.
  let deleting = false;
  document.addEventListener("pettube:deleting", () => {
    deleting = true;
    if (!video.player) return;
    video.player.pause();
    hls?.stopLoad();
  });
  document.addEventListener("pettube:delete-failed", () => {
    deleting = false;
    if (video.player) hls?.startLoad();
  });
  const marks = JSON.parse(document.getElementById("chapter-marks")?.textContent || "[]");
  const options = {
    controls: CONTROLS,
    settings: ["captions", "quality", "speed"],
    iconUrl: video.dataset.icons,
    blankVideo: "",
    keyboard: { focused: false, global: false }, // ours: listenToKeys
    seekTime: 5,
    speed: { selected: 1, options: SPEEDS },
    captions: { active: false, update: true },
    tooltips: { controls: true, seek: true },
    storage: { enabled: true, key: "pettube-player" }, // volume and muted, remembered
    markers: { enabled: marks.length > 0, points: marks },
    i18n: { qualityLabel: { [AUTO]: "Auto" }, pip: "Picture-in-picture" },
  };
  if (hls) {
    options.quality = qualityOptions(hls, await levelsOf(hls));
    if (!deleting) hls.startLoad(hls.config.startPosition); // as soon as hls.js would have by itself
  }
  if (video.dataset.storyboard && !deleting) options.previewThumbnails = { enabled: true, src: video.dataset.storyboard };
  const player = new Plyr(video, options);
  hls?.attachMedia(video);
  const { container } = player.elements;
  container.setAttribute("role", "region"); // a landmark, focusable: its keys work while it has focus
  container.setAttribute("aria-label", `Video player: ${video.getAttribute("aria-label")}`);
  container.tabIndex = 0;
  // Plyr names it only by its tooltip, which is not shown (so not read) on every screen.
  player.elements.buttons.settings?.setAttribute("aria-label", "Settings");
  listenToKeys(player);
  seekOnChapters(player);
  const start = Number(video.dataset.start);
  if (start && !hls) video.addEventListener("loadedmetadata", () => { video.currentTime = start; }, { once: true });
  video.player = player;
  return player;
}

const video = document.getElementById("player");
if (video?.dataset.hls) setUp(video);
