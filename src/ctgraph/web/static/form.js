// A list parameter starts with one box per value and a spare one; this adds a
// button for more boxes without a round trip. The form works the same without it.
document.querySelectorAll("[data-list]").forEach(function (field) {
  var button = document.createElement("button");
  button.type = "button";
  button.className = "more";
  button.textContent = "+ another value";
  button.addEventListener("click", function () {
    var boxes = field.querySelectorAll("input");
    var last = boxes[boxes.length - 1];
    var box = last.cloneNode(false);
    box.value = "";
    box.id = "";
    box.required = false;
    last.after(box);
    box.focus();
  });
  field.querySelector("small").before(button);
});
