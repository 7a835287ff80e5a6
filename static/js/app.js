// Site script. Loaded from static/, never inline (the Content-Security-Policy allows no inline script).
document.addEventListener("htmx:responseError", function (event) {
  var box = document.getElementById("htmx-error");
  if (!box) {
    box = document.createElement("p");
    box.id = "htmx-error";
    box.className = "msg msg-error";
    box.setAttribute("role", "alert");
    document.getElementById("main").prepend(box);
  }
  box.textContent = "Something went wrong (" + event.detail.xhr.status + "). Your input is kept; please try again.";
});
