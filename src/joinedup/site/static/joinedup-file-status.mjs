// The "being prepared" page's live status (progressive enhancement).
//
// Without JavaScript the page refreshes itself (a <meta> refresh inside
// <noscript>). With it, the page stays put: this asks the status address
// every few seconds and writes the answer into the page's role="status"
// region, which screen readers announce, then shows the part of the page
// for that status (the download link, or the reason and "Try again").
const box = document.querySelector("[data-file-status]");
const states = { waiting: "working", making: "working", ready: "ready", failed: "failed" };

function show(answer) {
  const heading = box.querySelector("[data-file-heading]");
  const message = box.querySelector("[data-file-message]");
  if (heading.textContent !== answer.heading) heading.textContent = answer.heading;
  // Written only when it changes, so that nothing is read out twice.
  if (message.textContent !== answer.message) message.textContent = answer.message;
  const part = states[answer.status] || "working";
  for (const section of box.querySelectorAll("[data-file-when]")) {
    section.hidden = section.dataset.fileWhen !== part;
  }
  return part === "working";
}

async function check(delay) {
  try {
    const response = await fetch(box.dataset.fileStatus, {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    if (response.ok && !show(await response.json())) return;
  } catch (error) {
    // A dropped connection: keep asking, a little less often.
    delay = Math.min(delay * 2, 30000);
  }
  setTimeout(() => check(delay), delay);
}

if (box && !box.querySelector('[data-file-when="working"]').hidden) {
  setTimeout(() => check(2000), 2000);
}
