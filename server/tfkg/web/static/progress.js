// Forms marked data-busy show their progress message while the next page is being computed.
document.querySelectorAll("form[data-busy]").forEach((form) => {
  form.addEventListener("submit", () => {
    const busy = form.querySelector(".busy");
    if (busy) {
      busy.textContent = form.dataset.busy;
      busy.setAttribute("data-active", "");
    }
    form.querySelectorAll("button[type=submit]").forEach((button) => button.setAttribute("aria-disabled", "true"));
  });
});
