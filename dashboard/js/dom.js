/**
 * A tiny element builder: every text goes in as a text node, never as HTML, so nothing an API answer holds can
 * become markup.
 *
 *   h("a", { href: "#/", class: "link" }, "Overview")
 *   h("button", { type: "button", onclick: () => … }, "Approve")
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") element.addEventListener(name.slice(2), value);
    else if (name === "class") element.className = Array.isArray(value) ? value.filter(Boolean).join(" ") : value;
    else if (value === true) element.setAttribute(name, "");
    else element.setAttribute(name, String(value));
  }
  append(element, children);
  return element;
}

/** Appends strings (as text), nodes and (nested) arrays of them; skips null, undefined and false. */
export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

/** Replaces everything inside the element. */
export function fill(element, ...children) {
  element.replaceChildren();
  return append(element, children);
}

/** A section with a heading, for the landmarks and the heading outline. */
export function section(title, level, ...children) {
  const id = `s-${title.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;
  return h("section", { class: "panel", "aria-labelledby": id }, h(`h${level}`, { id }, title), ...children);
}

/**
 * Re-renders a region only when what it shows changed, keeping focus on an element with the same data-key (a
 * re-read every second must not pull a keyboard user's focus away).
 */
export function renderIfChanged(region, value, render) {
  const signature = JSON.stringify(value) ?? "";
  if (region.dataset.signature === signature) return false;
  region.dataset.signature = signature;
  const focused = region.contains(document.activeElement) ? document.activeElement?.getAttribute("data-key") : null;
  render(region, value);
  if (focused) region.querySelector(`[data-key="${CSS.escape(focused)}"]`)?.focus();
  return true;
}
