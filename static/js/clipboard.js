// Copies a text field's value: the asynchronous Clipboard API where the page may use it,
// selecting the field and the older copy command otherwise. Resolves to whether it copied.

export async function copyField(field) {
  try {
    await navigator.clipboard.writeText(field.value);
    return true;
  } catch {
    field.select();
    return document.execCommand("copy");
  }
}
