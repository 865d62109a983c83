// The editor page's behaviour (a static file: the Content-Security-Policy runs no inline script).
// Leaving and autosave: warn before unsaved work is lost, Ctrl/Cmd+S saves, and a draft with
// changes is kept every 30 s as an autosave revision (the edit page brings it back).
(() => {
  const form = document.getElementById("editor-form");
  const status = document.getElementById("autosave-status");
  const every = parseInt(form.dataset.autosave || "0", 10);
  let unsaved = false, changedSinceAutosave = false, submitting = false, autosaving = false;
  const touched = () => { unsaved = true; changedSinceAutosave = true; };
  form.addEventListener("input", touched);
  form.addEventListener("change", touched);
  form.addEventListener("submit", () => { submitting = true; });
  window.addEventListener("beforeunload", (event) => {
    if (unsaved && !submitting) { event.preventDefault(); event.returnValue = ""; }
  });
  document.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s") {
      event.preventDefault();
      form.querySelector("button[name=action][value=save]").click();
    }
  });
  if (!every) return;
  setInterval(async () => {
    if (!changedSinceAutosave || autosaving || submitting) return;
    autosaving = true;
    changedSinceAutosave = false;
    const data = new FormData(form);
    data.set("action", "autosave");
    try {
      // Not form.action: the buttons named "action" shadow that property.
      const response = await fetch(form.getAttribute("action"), { method: "POST", body: data, headers: { "X-CSRFToken": data.get("csrfmiddlewaretoken") } });
      if (!response.ok) throw new Error(response.status);
      const saved = await response.json();
      if (form.getAttribute("action") !== saved.edit_url) {
        form.setAttribute("action", saved.edit_url);  // a new postmortem now exists as a draft
        history.replaceState(null, "", saved.edit_url);
      }
      status.textContent = `Autosaved ${saved.saved_at} (revision ${saved.revision}).`;
    } catch (error) {
      changedSinceAutosave = true;
      status.textContent = "Autosave failed; your text is still here. Save to keep it.";
    } finally {
      autosaving = false;
    }
  }, every);
})();

// The live check runs when what the form would send has changed: not on a blur after the
// typing it already checked, and never because of its own results landing in the page.
(() => {
  const form = document.getElementById("editor-form");
  const sent = () => {
    const data = new FormData(form);
    data.delete("csrfmiddlewaretoken");
    return new URLSearchParams(data).toString();
  };
  let last = sent();
  const maybeChanged = () => {
    const now = sent();
    if (now === last) return;
    last = now;
    document.body.dispatchEvent(new Event("content-changed"));
  };
  form.addEventListener("input", maybeChanged);
  form.addEventListener("change", maybeChanged);
  document.body.addEventListener("rows-changed", () => { last = sent(); });
})();
