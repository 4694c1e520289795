// Keeps the chief judge's completeness matrix current: refetches the live fragment every
// 10 seconds while the page is visible, and says when the last update failed.
(() => {
  const live = document.getElementById("live");
  if (!live) return;
  const url = live.dataset.liveUrl;
  const status = document.querySelector("[data-live-status]");
  const INTERVAL = 10000;
  let timer = null;

  async function refresh() {
    timer = null;
    try {
      const response = await fetch(url, {
        credentials: "same-origin",
        headers: { Accept: "text/html" },
        cache: "no-cache", // revalidate: an unchanged fragment comes back as 304
      });
      if (!response.ok) throw new Error(String(response.status));
      const html = await response.text();
      if (html !== live.dataset.lastHtml) {
        live.innerHTML = html;
        live.dataset.lastHtml = html;
      }
      if (status) status.textContent = "";
    } catch (error) {
      if (status) status.textContent = status.dataset.offline || "⚠";
    }
    schedule();
  }

  function schedule() {
    if (timer === null && !document.hidden) timer = window.setTimeout(refresh, INTERVAL);
  }

  document.addEventListener("visibilitychange", () => {
    if (document.hidden && timer !== null) {
      window.clearTimeout(timer);
      timer = null;
    } else if (!document.hidden) {
      schedule();
    }
  });
  schedule();
})();
