// One comment as the watch page and the shorts sheet show it: author, time and text, as text
// (never markup). The caller adds its own actions to the returned item's `.comment-head`.

export function commentItem(comment) {
  const item = document.createElement("li");
  item.dataset.commentId = comment.id;
  const head = document.createElement("p");
  head.className = "comment-head";
  const author = document.createElement("strong");
  author.textContent = comment.author;
  const time = document.createElement("time");
  time.dateTime = comment.created_at;
  time.textContent = new Date(comment.created_at).toLocaleString();
  head.append(author, " · ", time);
  const text = document.createElement("p");
  text.className = "comment-text";
  text.textContent = comment.text;
  item.append(head, text);
  return item;
}
