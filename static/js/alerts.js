// A refusal answered to an htmx request (403) retargets the page's main content (HX-Retarget)
// (execgap/web/forbidden.py): show it there, whatever the request meant to swap. Any other error
// answer is still not swapped (the htmx-config in base.html).
document.addEventListener("htmx:beforeSwap", function (event) {
  var xhr = event.detail.xhr;
  if (xhr.status === 403 && xhr.getResponseHeader("HX-Retarget") === "#main") {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
