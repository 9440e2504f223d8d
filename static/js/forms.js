// What the page scripts share about forms and controls: the pets ticked in a form; a control
// enabled once its script listens; a control's request (the control disabled while it runs and
// enabled again whatever the outcome, what went wrong said next to it); and the notes, live
// regions, that say so.
import { explain } from "./api.js";

export function tickedPets(form) {
  return [...form.querySelectorAll("input[name=pets]:checked")].map((input) => input.value);
}

// Listens for clicks on `control` (if there is one) and enables it. Its template renders it
// disabled: a tap before the page's script had run would be lost without a word.
export function onClick(control, handler) {
  if (!control) return;
  control.addEventListener("click", handler);
  control.disabled = false;
}

// Listens for the submitting of `form` (if there is one) and enables its submit button. Its
// template renders that button disabled: the form has no address of its own, and sent before the
// page's script had run it would put its fields in the address bar and lose them (a disabled
// button also stops Enter sending it).
export function onSubmit(form, handler) {
  if (!form) return;
  form.addEventListener("submit", handler);
  form.querySelector("button:not([type=button])").disabled = false;
}

// Says `text` in `box` (a live region), shown while it has something to say.
export function say(box, text) {
  box.textContent = text;
  box.hidden = !text;
}

let notes = 0;

function noteAfter(element, className) {
  const box = document.createElement("span");
  box.id = `note-${++notes}`;
  box.className = className;
  box.setAttribute("role", "status");
  box.hidden = true;
  element.after(" ", box);
  return box;
}

const controlNotes = new WeakMap();

// The note just after `control` (made on first use) that says how its last request went; it is
// also the control's accessible description.
export function noteFor(control) {
  if (!controlNotes.has(control)) {
    const box = noteAfter(control, "errors");
    const described = control.getAttribute("aria-describedby");
    control.setAttribute("aria-describedby", described ? `${described} ${box.id}` : box.id);
    controlNotes.set(control, box);
  }
  return controlNotes.get(control);
}

// A note just after `element` (a status the page shows) that says while the server is not answering.
export function troubleNote(element) {
  const box = noteAfter(element, "retry");
  box.dataset.testid = "server-trouble";
  return box;
}

// Runs `request` (an API call, see api.js) for `control`: disabled meanwhile, enabled again
// whatever the outcome. A failed answer is said in `box` (by default the control's note) in the
// words of `failed(answer)`; a successful one clears it. Returns the answer.
export async function sendFrom(control, request, { box = noteFor(control), failed = explain } = {}) {
  control.disabled = true;
  say(box, "");
  try {
    const answer = await request();
    say(box, answer.ok ? "" : failed(answer));
    return answer;
  } finally {
    control.disabled = false;
  }
}
