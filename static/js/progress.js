// How an upload's progress reads: sizes, speed and time left, measured over the last seconds.
const WINDOW_MS = 5000;

export function formatBytes(bytes) {
  if (bytes < 1e3) return `${bytes} B`;
  if (bytes < 1e6) return `${Math.round(bytes / 1e3)} KB`;
  if (bytes < 1e9) return `${(bytes / 1e6).toFixed(1)} MB`;
  return `${(bytes / 1e9).toFixed(2)} GB`;
}

export function formatDuration(seconds) {
  const whole = Math.max(0, Math.round(seconds));
  if (whole < 60) return `${whole} s`;
  const minutes = Math.floor(whole / 60);
  if (minutes < 60) return `${minutes} min ${String(whole % 60).padStart(2, "0")} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}

// Speed of the bytes sent recently (so a pause or a cut does not average into the rate).
export class Meter {
  constructor(total) {
    this.total = total;
    this.samples = [];
  }

  update(sent) {
    const now = performance.now();
    this.samples.push([now, sent]);
    while (this.samples.length > 2 && now - this.samples[0][0] > WINDOW_MS) this.samples.shift();
    const [first] = this.samples;
    const speed = now - first[0] > 250 ? ((sent - first[1]) * 1000) / (now - first[0]) : 0;
    return {
      sent,
      total: this.total,
      percent: this.total ? Math.floor((100 * sent) / this.total) : 100,
      speed: Math.max(0, speed),
      secondsLeft: speed > 0 ? (this.total - sent) / speed : null,
    };
  }

  restart() {
    this.samples = [];
  }
}

export function describeSize(progress) {
  return `${formatBytes(progress.sent)} of ${formatBytes(progress.total)}`;
}

// " · 4.2 MB/s · about 12 s left" while bytes are moving, else "".
export function describeRate(progress) {
  if (!(progress.speed > 0) || progress.sent >= progress.total) return "";
  const left = progress.secondsLeft === null ? "" : ` · about ${formatDuration(progress.secondsLeft)} left`;
  return ` · ${formatBytes(progress.speed)}/s${left}`;
}

// "42% · 21.0 MB of 50.0 MB · 4.2 MB/s · about 7 s left"
export function describeTransfer(progress) {
  return `${progress.percent}% · ${describeSize(progress)}${describeRate(progress)}`;
}

// What an upload waiting to send again says (see PartUpload's onRetry).
export function describeRetry({ seconds, answer }) {
  if (!navigator.onLine) return "You are offline: the upload continues by itself when the connection is back.";
  if (answer && answer.status !== 0) return `PetTube is not answering, retrying in ${seconds} s…`;
  return `The connection dropped. Trying again in ${seconds} s…`;
}
