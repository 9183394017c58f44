// A progress page that updates in place (progressive enhancement).
//
// Without JavaScript such a page refreshes itself (a <meta> refresh inside
// <noscript>). With it, the page stays put: every few seconds this fetches
// the same address, and copies the new heading, status line and body into
// the page. The status line is a role="status" region that stays in the
// page and is written only when its words change, so a screen reader reads
// each change once. Asking stops when the page says the work is done.
const page = document.querySelector("[data-live-page]");

function update(fresh) {
  for (const part of ["heading", "status"]) {
    const here = page.querySelector(`[data-live-${part}]`);
    const there = fresh.querySelector(`[data-live-${part}]`);
    if (here && there && here.textContent !== there.textContent) {
      here.textContent = there.textContent;
    }
  }
  const body = page.querySelector("[data-live-body]");
  const next = fresh.querySelector("[data-live-body]");
  if (body && next && body.innerHTML !== next.innerHTML) body.innerHTML = next.innerHTML;
  return fresh.hasAttribute("data-live-working");
}

async function check(delay) {
  try {
    const response = await fetch(window.location.href, {
      headers: { Accept: "text/html" },
      credentials: "same-origin",
    });
    if (response.ok) {
      const html = new DOMParser().parseFromString(await response.text(), "text/html");
      const fresh = html.querySelector("[data-live-page]");
      if (fresh && !update(fresh)) return;
    }
  } catch (error) {
    // A dropped connection: keep asking, a little less often.
    delay = Math.min(delay * 2, 30000);
  }
  setTimeout(() => check(delay), delay);
}

if (page && page.hasAttribute("data-live-working")) {
  setTimeout(() => check(3000), 3000);
}
