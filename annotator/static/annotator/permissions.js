// What the user may do on this page, read from the page data. The server builds that data by
// asking the same rules the API enforces (annotator/page_data.py asks roles.py), so a control
// is offered exactly when the API would accept its request. Pure (no DOM).

export class Permissions {
  // `rules` is page.permissions: {annotate, accept, suggest, review, edit: {own, others},
  // restore: {own, others}}; `username` is the signed-in user.
  constructor(rules, username) {
    this.rules = rules;
    this.username = username;
  }

  get annotate() {
    return Boolean(this.rules.annotate);
  }

  get suggest() {
    return Boolean(this.rules.suggest);
  }

  get review() {
    return Boolean(this.rules.review);
  }

  own(a) {
    return a.author === this.username;
  }

  // Edit, relabel, move or delete this tag (a suggestion: reject it).
  canEdit(a) {
    const statuses = this.own(a) ? this.rules.edit.own : this.rules.edit.others;
    return statuses.includes(a.status);
  }

  canAccept(a) {
    return a.status === "suggested" && Boolean(this.rules.accept);
  }

  canRestore(a) {
    return Boolean(this.own(a) ? this.rules.restore.own : this.rules.restore.others);
  }

  // For keymap.buildKeymap: does anything on the page need this permission at all?
  allows(need) {
    if (need === "annotate") return this.annotate;
    if (need === "accept") return Boolean(this.rules.accept);
    if (need === "review") return this.review;
    if (need === "edit") return this.rules.edit.own.length > 0 || this.rules.edit.others.length > 0;
    return false;
  }
}
