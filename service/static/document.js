// Bring the cited span into view, after the browser's own jump to #highlight.
window.addEventListener("load", function () {
  var mark = document.getElementById("highlight");
  if (mark) { requestAnimationFrame(function () { mark.scrollIntoView({ block: "center" }); }); }
});
