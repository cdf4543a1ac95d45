// Load a stored query as soon as it is picked (the Load button works without this).
document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
  select.addEventListener("change", function () { select.form.submit(); });
});
// Ctrl+Enter runs the query in the editor.
var query = document.getElementById("query");
if (query) {
  query.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { query.form.submit(); }
  });
}
