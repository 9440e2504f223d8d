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

// Feeds `video` its source; returns hls.js when it plays through it (for the quality menu).
function attachSource(video) {
  if (playsHlsItself(video)) {
    // The master playlist carries the captions as SUBTITLES: the <track>s would show them twice.
    for (const track of video.querySelectorAll("track")) track.remove();
    video.src = video.dataset.hls;
    return null;
  }
  if (window.Hls?.isSupported()) {
    // The captions are the <track>s; hls.js leaves the playlist's SUBTITLES to Apple's players.
    const hls = new window.Hls({ enableWorker: false, capLevelToPlayerSize: true, enableWebVTT: false,
      startPosition: Number(video.dataset.start) || -1 });
    hls.loadSource(video.dataset.hls);
    hls.attachMedia(video);
    hls.on(window.Hls.Events.LEVEL_SWITCHED, (_, { level }) => {
      const { width, height } = hls.levels[level];
      video.dataset.rendition = `${width}x${height}`;
    });
    video.hls = hls;
    return hls;
  }
  if (video.dataset.mp4) video.src = video.dataset.mp4;
  return null;
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
    if (target.closest(".plyr__menu") || (event.key === " " && target.matches("button, [role^=menuitem]"))) return;
    if (target.matches("input[type=range]") && event.key.startsWith("Arrow")) return; // the slider's own steps
    const action = actions[event.key.length === 1 ? event.key.toLowerCase() : event.key];
    if (!action) return;
    event.preventDefault();
    event.stopPropagation();
    action();
  }, true);
}

function seekOnChapters(player) {
  for (const button of document.querySelectorAll(".chapters button[data-seek]")) {
    button.addEventListener("click", () => {
      player.currentTime = Number(button.dataset.seek);
      player.play();
      player.elements.container.focus();
    });
  }
}

export async function setUp(video) {
  const hls = attachSource(video);
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
    i18n: { qualityLabel: { [AUTO]: "Auto" } },
  };
  if (video.dataset.storyboard) options.previewThumbnails = { enabled: true, src: video.dataset.storyboard };
  if (hls) options.quality = qualityOptions(hls, await levelsOf(hls));
  const player = new Plyr(video, options);
  player.elements.container.setAttribute("aria-label", `Video player: ${video.getAttribute("aria-label")}`);
  listenToKeys(player);
  seekOnChapters(player);
  const start = Number(video.dataset.start);
  if (start && !hls) video.addEventListener("loadedmetadata", () => { video.currentTime = start; }, { once: true });
  video.player = player;
  return player;
}

const video = document.getElementById("player");
if (video?.dataset.hls) setUp(video);
