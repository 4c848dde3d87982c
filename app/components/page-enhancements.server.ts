/*
 * What a page served without React's runtime (ADR 047) does in the browser, sent inline as this
 * function's source text: so it uses nothing from outside its own body, and only what every
 * phone's browser has. Without it the page still works; with it, it behaves as the hydrated
 * pages do where a person would notice:
 * - focus lands on the status of what just changed (the flash beside it), not at the top;
 * - a form being sent marks its buttons busy and holds a second tap (no double posts);
 * - a copy button (a calendar feed's address) appears and copies.
 */
function enhancePage(): void {
  // Once the page has loaded: Chromium drops focus given while it parses, when it then goes to the
  // address's #fragment (which is where the flash is).
  window.addEventListener("load", () => document.querySelector<HTMLElement>("[data-flash]")?.focus(), { once: true });

  let sending = false;
  const setBusy = (busy: boolean) => {
    for (const button of document.querySelectorAll("form button:not([type=button])")) {
      if (busy) button.setAttribute("aria-disabled", "true");
      else button.removeAttribute("aria-disabled");
    }
  };
  document.addEventListener("submit", (event) => {
    if (event.defaultPrevented) return;
    if (sending) {
      event.preventDefault();
      return;
    }
    sending = true;
    setBusy(true);
  });
  // A page shown again from the back-forward cache is live again.
  window.addEventListener("pageshow", (event) => {
    if (!event.persisted) return;
    sending = false;
    setBusy(false);
  });

  // The Clipboard API needs a secure context (HTTPS or this machine); elsewhere the address is
  // selected and copied the older way.
  for (const button of document.querySelectorAll<HTMLButtonElement>("button[data-copy-from]")) {
    const input = document.getElementById(button.dataset.copyFrom ?? "");
    if (!(input instanceof HTMLInputElement)) continue;
    button.hidden = false;
    button.addEventListener("click", () => {
      const copied = () => {
        button.textContent = button.dataset.copied ?? button.textContent;
      };
      const selectAndCopy = () => {
        input.select();
        if (document.execCommand("copy")) copied();
      };
      if (navigator.clipboard) navigator.clipboard.writeText(input.value).then(copied, selectAndCopy);
      else selectAndCopy();
    });
  }
  for (const input of document.querySelectorAll<HTMLInputElement>("input[data-select-on-focus]")) {
    input.addEventListener("focus", () => input.select());
  }
}

/** The script's text, as the page's one inline <script>. */
export const PAGE_ENHANCEMENTS = `(${enhancePage.toString()})();`;
