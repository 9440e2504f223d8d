// Watch page: like toggle, report, the view once the video really played, and the comments
// (loaded after the player, rendered as text: nothing in a comment becomes markup or a link).
import { api, explain } from "./api.js";
import { commentItem } from "./comment-item.js";
import { onClick, onSubmit, sendFrom } from "./forms.js";
import { notify } from "./site.js";
import { reportView } from "./views.js";

const article = document.querySelector("article.watch");
const videoId = article?.dataset.videoId;
const reactions = document.querySelector("[data-testid=reactions]");
const player = document.getElementById("player");

function plural(count, word) {
  return `${word}${count === 1 ? "" : "s"}`;
}

const likeButton = document.querySelector("button[data-like]");
onClick(likeButton, async () => {
  const liked = likeButton.getAttribute("aria-pressed") === "true";
  const { ok, data } = await sendFrom(likeButton, () => api(liked ? "DELETE" : "POST", `/api/videos/${videoId}/like/`));
  if (!ok) return;
  likeButton.setAttribute("aria-pressed", String(data.liked));
  likeButton.querySelector("[data-testid=like-label]").textContent = data.liked ? "Liked" : "Like";
  const count = reactions.querySelector("[data-testid=likes]");
  count.textContent = String(data.likes);
  count.nextSibling.textContent = ` ${plural(data.likes, "like")} · `;
});

async function report(button, path) {
  const reason = window.prompt("What is wrong with it?");
  if (!reason) return;
  const { ok } = await sendFrom(button, () => api("POST", path, { reason }), {
    failed: (answer) => explain(answer, "The report did not go through."),
  });
  if (ok) notify("Thank you: the report reached the moderators.");
}

const reportButton = reactions?.querySelector("[data-report]");
onClick(reportButton, () => report(reportButton, reportButton.dataset.report));

if (player && reactions?.dataset.viewTicket) {
  const { viewTicket: ticket, viewSeconds } = reactions.dataset;
  reportView(player, { videoId, ticket, seconds: Number(viewSeconds || 5) }, () => {
    const views = reactions.querySelector("[data-testid=views]");
    const count = Number(views.textContent) + 1;
    views.textContent = String(count);
    views.nextSibling.textContent = ` ${plural(count, "view")}`;
  });
}

const section = document.getElementById("comments");
if (section) {
  const list = section.querySelector("[data-testid=comments]");
  const more = section.querySelector("[data-more]");
  const form = section.querySelector("[data-comment-form]");
  const me = section.dataset.userId;
  const ownsVideo = section.dataset.owner === "true";
  let cursor = null;

  const render = (comment) => {
    const item = commentItem(comment);
    const head = item.querySelector(".comment-head");
    if (me && (comment.author_id === me || ownsVideo)) {
      const remove = document.createElement("button");
      remove.className = "link";
      remove.textContent = "Delete";
      remove.addEventListener("click", async () => {
        if (!window.confirm("Delete this comment?")) return;
        const { ok } = await sendFrom(remove, () => api("DELETE", `/api/videos/${videoId}/comments/${comment.id}/`), {
          failed: (answer) => explain(answer, "The comment could not be deleted."),
        });
        if (ok) item.remove();
      });
      head.append(" · ", remove);
    } else if (me) {
      const flag = document.createElement("button");
      flag.className = "link";
      flag.textContent = "Report";
      flag.addEventListener("click", () => report(flag, `/api/videos/${videoId}/comments/${comment.id}/report/`));
      head.append(" · ", flag);
    }
    return item;
  };

  // While the video is being deleted (videos.js) the comments are not asked for, and a request
  // under way is abandoned: the page never asks about a video it is deleting.
  let loading = null;
  let deleting = false;
  let wanted = false;
  const load = async () => {
    if (deleting) {
      wanted = true;
      return;
    }
    const query = cursor ? `?cursor=${encodeURIComponent(cursor)}` : "";
    loading = new AbortController();
    const { signal } = loading;
    const get = () => api("GET", `/api/videos/${videoId}/comments/${query}`, undefined, { signal });
    const answer = await sendFrom(more, get, {
      failed: (failure) => explain(failure, "The comments could not be loaded."),
    }).catch(() => null); // abandoned: the video is being deleted
    loading = null;
    if (!answer) return;
    if (answer.ok) {
      list.append(...answer.data.items.map(render));
      cursor = answer.data.next_cursor;
    }
    more.hidden = answer.ok && !cursor; // after a failure it is the way to try again
  };
  more.addEventListener("click", load);
  document.addEventListener("pettube:deleting", () => {
    deleting = true;
    if (loading) {
      wanted = true;
      loading.abort();
    }
  });
  document.addEventListener("pettube:delete-failed", () => {
    deleting = false;
    if (wanted) {
      wanted = false;
      load();
    }
  });

  onSubmit(form, async (event) => {
    event.preventDefault();
    const text = form.elements.text.value;
    const post = () => api("POST", `/api/videos/${videoId}/comments/`, { text });
    const { ok, data } = await sendFrom(form.querySelector("button"), post, {
      box: form.querySelector("[data-testid=comment-error]"),
      failed: (answer) => explain(answer, "The comment could not be posted."),
    });
    if (!ok) return;
    form.reset();
    list.prepend(render(data));
  });

  // After the player: the comments wait until the video can play (or a moment has passed).
  if (player && player.readyState < 2) {
    let started = false;
    const start = () => {
      if (!started) load();
      started = true;
    };
    player.addEventListener("loadeddata", start, { once: true });
    setTimeout(start, 1500);
  } else {
    load();
  }
}
