// The Follow buttons of pet pages, profiles and the watch page: follow or unfollow, and the
// follower count as the server answers it (the watch page asks for both when it loads).
import { api } from "./api.js";
import { onClick, sendFrom } from "./forms.js";

function show(box, data) {
  const button = box.querySelector("[data-follow-button]");
  if (button) {
    button.setAttribute("aria-pressed", String(data.following));
    button.querySelector("[data-follow-label]").textContent = data.following ? "Following" : "Follow";
    if (button.dataset.name) button.setAttribute("aria-label", `${data.following ? "Following" : "Follow"} ${button.dataset.name}`);
  }
  box.querySelector("[data-testid=followers]").textContent = String(data.followers);
  box.querySelector("[data-followers-word]").textContent = data.followers === 1 ? "follower" : "followers";
  box.querySelector(".followers").hidden = false;
}

for (const box of document.querySelectorAll("[data-follow]")) {
  if (box.dataset.wired) continue;
  box.dataset.wired = "true";
  if (box.hasAttribute("data-follow-load")) {
    api("GET", box.dataset.follow).then(({ ok, data }) => ok && show(box, data));
  }
  const button = box.querySelector("[data-follow-button]");
  onClick(button, async () => {
    const following = button.getAttribute("aria-pressed") === "true";
    const { ok, data } = await sendFrom(button, () => api(following ? "DELETE" : "POST", box.dataset.follow));
    if (ok) show(box, data);
  });
}
