// Small page behaviours, here rather than inline: the Content-Security-Policy runs no inline script.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) { window.print(); return; }
  const selectable = event.target.closest("[data-select-on-click]");
  if (selectable) { selectable.select(); return; }
  // The phrase library: insert a pattern at the end of its section's box (or copy it).
  const button = event.target.closest(".insert-phrase");
  if (!button) return;
  const target = button.dataset.target && document.getElementById(button.dataset.target);
  if (!target) { navigator.clipboard && navigator.clipboard.writeText(button.dataset.text); return; }
  target.value = target.value.trim() ? target.value.replace(/\s*$/, "\n") + button.dataset.text : button.dataset.text;
  target.focus();
  target.dispatchEvent(new Event("input", { bubbles: true }));
});
document.addEventListener("change", (event) => {
  const select = event.target.closest("[data-submit-on-change]");
  if (select && select.form) select.form.submit();
});
document.addEventListener("submit", (event) => {
  const question = event.target.dataset && event.target.dataset.confirm;
  if (question && !window.confirm(question)) event.preventDefault();
});
