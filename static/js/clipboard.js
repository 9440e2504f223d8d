// Copies a text field's value: the asynchronous Clipboard API where the page may use it,
// selecting the field and the older copy command otherwise. Resolves to whether it copied.

// Copies `field` and says so in `status` ("Link copied." for `what` = "Link"), or how to copy by hand.
export async function copyInto(field, status, what) {
  status.textContent = (await copyField(field))
    ? `${what} copied.`
    : "Copying is blocked here: select the text and copy it yourself.";
}

async function copyField(field) {
  try {
    await navigator.clipboard.writeText(field.value);
    return true;
  } catch {
    field.select();
    return document.execCommand("copy");
  }
}
