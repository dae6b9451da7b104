from django import forms


class ArticleForm(forms.Form):
    file = forms.FileField(
        required=False,
        help_text="A .txt, .html, .htm, .md or .docx file. Leave empty to paste text instead.",
    )
    text = forms.CharField(
        required=False, strip=False, widget=forms.Textarea(attrs={"rows": 14, "dir": "auto"})
    )
    title = forms.CharField(
        max_length=500, required=False, help_text="Taken from the file when left empty."
    )
    byline = forms.CharField(max_length=500, required=False)
    source_url = forms.URLField(max_length=2000, required=False, assume_scheme="https")
    published_at = forms.DateTimeField(
        required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    language = forms.CharField(max_length=35, required=False)

    def clean(self):
        data = super().clean()
        if bool(data.get("file")) == bool(data.get("text", "").strip()):
            raise forms.ValidationError("Paste the text or choose a file (one of the two).")
        if data.get("file"):
            data.pop("text", None)
        else:
            data.pop("file", None)
        return data
