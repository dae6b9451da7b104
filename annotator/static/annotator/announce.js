// The page's live region: every action done by key or button says what it did here, and where it
// can be undone an Undo button sits beside the message. A new message replaces the one before at
// once; a message leaves after a while, an error later.

export class Announcer {
  constructor(root) {
    this.root = root;
    this.text = root.querySelector("[data-announce-text]");
    this.button = root.querySelector("[data-announce-undo]");
    this.timer = null;
    this.undo = null;
    this.button.addEventListener("click", () => {
      const undo = this.undo;
      this.dismiss();
      undo?.();
    });
  }

  say(message, { kind = "info", undo = null } = {}) {
    clearTimeout(this.timer);
    this.undo = undo;
    this.text.textContent = message;
    this.button.hidden = !undo;
    this.root.className = `toast show ${kind}`;
    this.timer = setTimeout(() => this.dismiss(), kind === "error" ? 10_000 : 6_000);
  }

  dismiss() {
    clearTimeout(this.timer);
    this.undo = null;
    this.button.hidden = true;
    this.root.classList.remove("show");
  }
}
