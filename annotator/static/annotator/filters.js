// The view filters (kinds, status, label). A filter is a class on the page's container, never a
// redraw: every highlight and panel row stays in the DOM and the style sheet hides those the
// filter leaves out, so a toggle on 5,000 tags costs one style recalculation. Pure (no DOM).

export class Filters {
  constructor(kinds = ["claim", "quote", "entity"]) {
    this.allKinds = kinds;
    this.kinds = new Set(kinds);
    this.status = "";
    this.label = "";
  }

  accepts(a) {
    return this.kinds.has(a.kind) && (!this.status || a.status === this.status) && (!this.label || a.label === this.label);
  }

  // The container's classes for this state: "hide-claim", "only-status-approved",
  // "only-label-person".
  classes() {
    const out = this.allKinds.filter((k) => !this.kinds.has(k)).map((k) => `hide-${k}`);
    if (this.status) out.push(`only-status-${this.status}`);
    if (this.label) out.push(`only-label-${this.label}`);
    return out;
  }
}

const SAFE = /^[a-z0-9_-]+$/i;

// The style rules the "only" classes need, one per status and per label, made from the page's
// own lists so a label an admin adds is filtered like the rest. A hidden highlight keeps its
// words and loses its look; a hidden panel row is not displayed.
export function filterCss(statuses, labels) {
  const rules = [];
  for (const status of statuses) {
    if (!SAFE.test(status)) continue;
    rules.push(
      `.only-status-${status} mark.hl:not(.status-${status}) { background: none; box-shadow: none; outline: none; text-decoration: none; cursor: text; }`,
      `.only-status-${status} .panel-item:not(.status-${status}) { display: none; }`,
    );
  }
  for (const slug of labels) {
    if (!SAFE.test(slug)) continue;
    rules.push(
      `.only-label-${slug} mark.hl:not([data-label-slug="${slug}"]) { background: none; box-shadow: none; outline: none; text-decoration: none; cursor: text; }`,
      `.only-label-${slug} .panel-item:not([data-label-slug="${slug}"]) { display: none; }`,
    );
  }
  return rules.join("\n");
}
