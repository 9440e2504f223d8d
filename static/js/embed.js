// The embed page: its views count as the watch page's do (static/js/views.js). It needs no
// cookie: other sites' frames get none of ours.
import { reportView } from "./views.js";

const main = document.querySelector("main.watch");
const player = document.getElementById("player");
if (player && main?.dataset.viewTicket) {
  const { videoId, viewTicket: ticket, viewSeconds } = main.dataset;
  reportView(player, { videoId, ticket, seconds: Number(viewSeconds || 5) });
}
