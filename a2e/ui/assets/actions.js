// The dashboard's action bar (a2e/ui/actions.py): buttons that copy a text to the clipboard,
// and links that download a file from the dashboard's own origin. Everything shown is set as
// text (never as markup); nothing is sent back to Python, so a click never reruns the page.
export default function (component) {
  const { parentElement, data } = component;
  const bar = parentElement.querySelector(".a2e-actions");
  bar.replaceChildren(...data.items.map(item));
}

function item(action) {
  if (action.href) {
    const link = document.createElement("a");
    link.href = action.href;
    link.download = action.file;
    link.rel = "noopener noreferrer";
    link.className = "a2e-action";
    link.textContent = action.label;
    if (action.help) link.title = action.help;
    return link;
  }
  const button = document.createElement("button");
  button.type = "button";
  button.className = "a2e-action";
  button.textContent = action.label;
  if (action.help) button.title = action.help;
  button.addEventListener("click", () => copy(button, action));
  return button;
}

async function copy(button, action) {
  let copied = false;
  try {
    await navigator.clipboard.writeText(action.copy);
    copied = true;
  } catch (error) {
    // No clipboard API outside a secure context (http:// on another host): the old way.
    const area = document.createElement("textarea");
    area.value = action.copy;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.append(area);
    area.select();
    copied = document.execCommand("copy");
    area.remove();
  }
  button.textContent = copied ? "Copied" : "Could not copy: select and copy it";
  setTimeout(() => { button.textContent = action.label; }, 2000);
}
