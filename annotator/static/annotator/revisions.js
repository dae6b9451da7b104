// The revision notice: what the latest edit of the article's text did to its tags (the
// revision's summary, page_data.revision_notice), and the order an editor steps through the
// tags to look at. Pure: no DOM, no storage, so node --test checks it (tests/js/revisions.test.js).

// The summary's counts, in the order the notice reads them (the revision API's `summary`).
export const OUTCOMES = ["kept", "moved", "changed", "orphaned"];

// What each stepper walks through. A moved tag goes with the changed ones: both now sit
// somewhere the editor did not put them. A kept tag needs nothing, though its offsets may
// have shifted (which is why anchor_state alone cannot pick these tags: it says "moved" for
// every tag an edit before it pushed along).
export const STEPS = {
  changed: { outcomes: ["changed", "moved"], name: "changed tag", none: "No changed tags to go to." },
  orphaned: { outcomes: ["orphaned"], name: "orphaned tag", none: "No orphaned tags left to repair." },
};

export function noticeText(notice) {
  const who = [`revision ${notice.number}`, notice.by && `by ${notice.by}`, notice.date].filter(Boolean).join(", ");
  const counts = OUTCOMES.map((outcome) => `${notice.summary[outcome] || 0} ${outcome}`).join(", ");
  return `This text was revised (${who}): ${counts}.`;
}

// Dismissed once per article and revision: the next revision's notice shows again.
export function dismissKey(articleId, number) {
  return `newsdesk.revisionNotice.${articleId}.${number}`;
}

// What to say of a tag whose history row says no more than its outcome.
const UNSAID = { moved: "its words were moved here", changed: "its words were edited", orphaned: "its words are gone from the text" };

export class RevisionSteps {
  // `tags` is the notice's [[id, outcome, what changed], ...].
  constructor(tags) {
    this.tags = new Map(tags.map(([id, outcome, what]) => [id, { outcome, what }]));
  }

  // Whether the stepper `step` has anything of this revision's to show at all.
  offers(step) {
    return [...this.tags.values()].some((t) => STEPS[step].outcomes.includes(t.outcome));
  }

  // Whether tag `a`, as the page holds it now, is one `step` goes to: an orphan repaired since
  // needs no more looking at, and a changed tag found orphaned since is no longer on its words.
  belongs(a, step) {
    const tag = this.tags.get(a.id);
    if (!tag || !STEPS[step].outcomes.includes(tag.outcome)) return false;
    return (a.anchor_state === "orphaned") === (step === "orphaned");
  }

  // The next (direction 1) or previous (-1) of `step`'s tags after `currentId` in text order,
  // as j and k walk (store.neighbour), skipping what `visible` hides: {a, at, of, text} with its
  // place among them and what to say, or null when there is none.
  next(store, currentId, step, { direction = 1, visible = () => true } = {}) {
    const wanted = (a) => this.belongs(a, step) && visible(a);
    const a = store.neighbour(currentId, direction, wanted);
    if (!a) return null;
    const all = store.sorted().filter(wanted);
    const at = all.indexOf(a) + 1;
    return { a, at, of: all.length, text: this.describe(a, step, at, all.length) };
  }

  describe(a, step, at, of) {
    const { outcome, what } = this.tags.get(a.id);
    const why = what || UNSAID[outcome];
    const name = STEPS[step].name;
    return `${name[0].toUpperCase()}${name.slice(1)} ${at} of ${of}: ${why}`;
  }
}
