// Small helpers to build elements from data. Text always goes in as text (textContent or text
// nodes), never as HTML, so nothing a user typed can become markup.

export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "dataset") Object.assign(node.dataset, value);
    else if (key === "style") for (const [k, v] of Object.entries(value)) node.style.setProperty(k, v);
    else if (key === "attrs") for (const [k, v] of Object.entries(value)) node.setAttribute(k, v);
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node[key] = value;
  }
  for (const child of children) if (child !== null && child !== undefined && child !== false) node.append(child);
  return node;
}

export function selectField(name, options, value, props = {}) {
  return el(
    "select",
    { name, ...props },
    ...options.map(([v, text]) => el("option", { value: v, textContent: text, selected: v === (value ?? "") })),
  );
}

let fieldCount = 0;

// A control with its visible label, tied by id so assistive technology reads them together.
export function field(labelText, control, hint = null) {
  const id = control.id || `field-${++fieldCount}`;
  const target = control.matches("input, select, textarea") ? control : control.querySelector("input:not([type=hidden]), select, textarea");
  if (target) target.id = id;
  const hintEl = hint ? el("small", { className: "hint", id: `${id}-hint`, textContent: hint }) : null;
  if (hintEl && target) target.setAttribute("aria-describedby", hintEl.id);
  return el("div", { className: "field" }, el("label", { htmlFor: id, textContent: labelText }), control, hintEl);
}

export function debounce(fn, ms) {
  let timer;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}
