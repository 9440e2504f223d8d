// Watch page: adaptive HLS. Safari and iOS play HLS themselves; elsewhere hls.js (vendored,
// loaded only on this page) feeds the player through Media Source Extensions; a browser with
// neither gets the MP4. While the video is still encoding its playlists are EVENT playlists,
// which both reload until the end is published. With data-media-credentials (the owner of a
// private video behind CloudFront) segments are fetched with the signed cookies the page set.
const video = document.getElementById("player");

function playsHlsItself() {
  // Chromium also answers "maybe" here; only Apple's players, which have AirPlay, do it well.
  return Boolean(video.canPlayType("application/vnd.apple.mpegurl")) &&
    ("WebKitPlaybackTargetAvailabilityEvent" in window || !window.Hls?.isSupported());
}

if (video?.dataset.hls) {
  if (playsHlsItself()) {
    video.src = video.dataset.hls;
  } else if (window.Hls?.isSupported()) {
    const withCookies = "mediaCredentials" in video.dataset;
    const hls = new window.Hls({
      enableWorker: false,
      capLevelToPlayerSize: true,
      xhrSetup: (xhr) => { xhr.withCredentials = withCookies; },
    });
    hls.loadSource(video.dataset.hls);
    hls.attachMedia(video);
    hls.on(window.Hls.Events.LEVEL_SWITCHED, (_, { level }) => {
      const { width, height } = hls.levels[level];
      video.dataset.rendition = `${width}x${height}`;
    });
    video.hls = hls;
  } else if (video.dataset.mp4) {
    video.src = video.dataset.mp4;
  }
}
