// The receipt's Print button (no inline script under the CSP).
document.addEventListener("click", function (event) {
  if (event.target.matches("[data-print]")) window.print();
});
