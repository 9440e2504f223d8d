// The shorts feed's fast starts: a clip's playlists and lead segments, fetched ahead into memory
// at the rung that fits the screen, and an hls.js loader that serves them from there. A clip
// attached to a player later starts from memory, not from the network.
const LEAD_SEGMENTS = 1; // the lead segment is 2 s: enough to show the first frame and play on
const cache = new Map(); // clip id -> Map(absolute URL -> text or ArrayBuffer)

// The variant of a master playlist that fits a `box` of CSS pixels on this screen: the smallest
// whose picture, shown contained in the box, has at least a device pixel per screen pixel (the
// largest when none does). `variants`: [{width, height}], any order; returns one of them.
function fitting(variants, box) {
  const ratio = Math.min(window.devicePixelRatio || 1, 2);
  const covers = (variant) => Math.min((box.width * ratio) / variant.width, (box.height * ratio) / variant.height) <= 1;
  const bySize = [...variants].sort((a, b) => a.width * a.height - b.width * b.height);
  return bySize.find(covers) || bySize.at(-1);
}

// A clip's AV1 rungs play only where this device decodes AV1 in hardware (MediaCapabilities says
// power efficient): a phone decoding it in software spends its battery on the bytes it saves.
// Elsewhere the H.264 rungs. Decided once a page; until then, H.264.
let av1Preferred = false;
const AV1_QUERY = {
  type: "media-source",
  video: { contentType: 'video/mp4; codecs="av01.0.05M.08"', width: 1080, height: 1920, bitrate: 2_000_000, framerate: 30 },
};
export const codecChosen = (async () => {
  try {
    const info = await navigator.mediaCapabilities?.decodingInfo(AV1_QUERY);
    av1Preferred = Boolean(info?.supported && info.powerEfficient);
  } catch {
    // no answer (an old browser, a query it refuses): H.264
  }
})();

const isAv1 = (variant) => /^av01/.test(variant.codecs || "");

// The variant a clip plays, of `variants` ([{width, height, codecs}]): of the preferred codec's
// (the other's when it has none), the one fitting `box`. The preloader and the player both ask
// this, so the player starts from what was preloaded.
export function chosen(variants, box) {
  const preferred = variants.filter((variant) => isAv1(variant) === av1Preferred);
  return fitting(preferred.length ? preferred : variants, box);
}

function variantsOf(master, base) {
  const variants = [];
  const lines = master.split("\n").map((line) => line.trim());
  lines.forEach((line, number) => {
    const size = line.startsWith("#EXT-X-STREAM-INF:") && /RESOLUTION=(\d+)x(\d+)/.exec(line);
    if (!size) return;
    const codecs = /CODECS="([^"]*)"/.exec(line)?.[1] ?? "";
    variants.push({ width: Number(size[1]), height: Number(size[2]), codecs, url: new URL(lines[number + 1], base).href });
  });
  const audio = lines.map((line) => /^#EXT-X-MEDIA:TYPE=AUDIO.*URI="([^"]+)"/.exec(line)).find(Boolean);
  return { variants, audio: audio ? new URL(audio[1], base).href : null };
}

function leadSegments(playlist, base) {
  return playlist.split("\n").map((line) => line.trim()).filter((line) => line && !line.startsWith("#"))
    .slice(0, LEAD_SEGMENTS).map((uri) => new URL(uri, base).href);
}

async function fetched(url, kind, signal) {
  const response = await fetch(url, { signal, credentials: "same-origin" });
  if (!response.ok) throw new Error(`${response.status} for ${url}`);
  return kind === "text" ? response.text() : response.arrayBuffer();
}

// Fetches clip `id`'s master playlist, the playlist of the rung fitting `box` and the audio's,
// and their lead segments, into memory. Quietly gives up on failure (the player then loads them).
export async function preload(id, masterUrl, box, signal) {
  if (cache.has(id)) return;
  const files = new Map();
  cache.set(id, files);
  try {
    await codecChosen;
    const master = new URL(masterUrl, location.href).href;
    files.set(master, await fetched(master, "text", signal));
    const { variants, audio } = variantsOf(files.get(master), master);
    if (!variants.length) return;
    const playlists = [chosen(variants, box).url, audio].filter(Boolean);
    const texts = await Promise.all(playlists.map((url) => fetched(url, "text", signal)));
    playlists.forEach((url, number) => files.set(url, texts[number]));
    const segments = playlists.flatMap((url, number) => leadSegments(texts[number], url));
    const bodies = await Promise.all(segments.map((url) => fetched(url, "bytes", signal)));
    segments.forEach((url, number) => files.set(url, bodies[number]));
  } catch {
    // aborted, or the network failed: what was fetched stays, the rest loads when it plays
  }
}

// Forgets what was preloaded for clips other than `keep` (ids).
export function forgetAllBut(keep) {
  for (const id of cache.keys()) if (!keep.has(id)) cache.delete(id);
}

function lookup(url) {
  for (const files of cache.values()) if (files.has(url)) return files.get(url);
  return undefined;
}

// An hls.js loader class answering from the preloaded files and going to the network otherwise.
export function preloadingLoader(Hls) {
  return class PreloadingLoader extends Hls.DefaultConfig.loader {
    load(context, config, callbacks) {
      const found = context.rangeEnd ? undefined : lookup(context.url);
      if (found === undefined) {
        super.load(context, config, callbacks);
        return;
      }
      const data = typeof found === "string" ? found : found.slice(0); // a copy: hls.js may transfer it
      const stats = this.stats;
      const now = performance.now();
      stats.loading.start = stats.loading.first = stats.loading.end = now;
      stats.loaded = stats.total = typeof data === "string" ? data.length : data.byteLength;
      this.context = context;
      Promise.resolve().then(() => {
        if (!stats.aborted) callbacks.onSuccess({ url: context.url, data, code: 200 }, stats, context, null);
      });
    }
  };
}
