from django import forms

from .encodings import CHOICES


class ArticleForm(forms.Form):
    file = forms.FileField(
        required=False,
        help_text="A .txt, .html, .htm, .md or .docx file. Leave empty to paste text or fetch a page instead.",
    )
    text = forms.CharField(
        required=False, strip=False, widget=forms.Textarea(attrs={"rows": 14, "dir": "auto"})
    )
    title = forms.CharField(
        max_length=500, required=False, help_text="Taken from the file when left empty."
    )
    byline = forms.CharField(max_length=500, required=False)
    source_url = forms.URLField(
        label="Source URL", max_length=2000, required=False, assume_scheme="https"
    )
    fetch = forms.BooleanField(
        label="Fetch the page at the source URL and take the story from it",
        required=False,
    )
    published_at = forms.DateTimeField(
        required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    language = forms.CharField(max_length=35, required=False)
    encoding = forms.ChoiceField(
        label="Encoding of the file or page",
        choices=[("", "Detect it")] + list(CHOICES.items()),
        required=False,
        help_text="Leave on “Detect it” unless the letters of the text came out wrong.",
    )
    # The bytes of a file or page whose text is being checked before saving (articles/pending.py).
    pending = forms.CharField(required=False, widget=forms.HiddenInput)

    # The title is what a person types first; the text or the file follows.
    field_order = ["title", "file", "text", "byline", "source_url", "fetch", "published_at"]

    def clean(self):
        data = super().clean()
        has_file = bool(data.get("file") or data.get("pending"))
        has_text = bool(data.get("text", "").strip())
        fetch = bool(data.get("fetch"))
        if fetch and not data.get("source_url") and not data.get("pending"):
            self.add_error("source_url", "Give the address of the page to fetch.")
        if sum((has_file, has_text, fetch and not data.get("pending"))) != 1:
            raise forms.ValidationError(
                "Paste the text, choose a file, or fetch a page (one of the three)."
            )
        if data.get("file"):
            # A newly chosen file replaces the one kept from the previous step.
            data["pending"] = ""
        if not has_text:
            data.pop("text", None)
        else:
            data.pop("file", None)
        return data
