// Live updates: the page asks the API for the article's changes since the last time, on the
// server's clock, and applies them together. The automatic poll runs every `intervalMs`
// (0: never); poll() can also be called directly — the browser tests do, through
// window.newsdeskPage.poll(), with the automatic poll off, so a test decides exactly when the
// page sees a colleague's change.

import { api, ApiError } from "./api.js";

export class LivePoller {
  constructor({ articleId, since, onChanges, onError }) {
    this.articleId = articleId;
    this.since = since;
    this.onChanges = onChanges; // (changedAnnotations, removedIds) -> void
    this.onError = onError;
    this.timer = null;
  }

  start(intervalMs) {
    if (intervalMs > 0) this.timer = setInterval(() => !document.hidden && this.poll(), intervalMs);
  }

  // One poll at a time: a call while one runs waits for it, then polls again, so a caller
  // always sees the changes made before its call.
  poll() {
    this.last = (this.last || Promise.resolve()).then(() => this.pollOnce());
    return this.last;
  }

  async pollOnce() {
    try {
      // Every page of changes (a colleague's bulk run can make thousands at once), then the new
      // high-water mark: pages come in text order, not in time order.
      let url = `/api/annotations/?article=${this.articleId}&include_deleted=true&page_size=1000&updated_after=${encodeURIComponent(this.since)}`;
      let newest = this.since;
      const changed = [];
      const removed = [];
      while (url) {
        const data = await api("GET", url);
        for (const a of data.results) {
          if (a.updated_at > newest) newest = a.updated_at;
          if (a.deleted) removed.push(a.id);
          else changed.push(a);
        }
        url = data.next;
      }
      this.onChanges(changed, removed);
      this.since = newest;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) this.onError(error);
    }
  }
}
