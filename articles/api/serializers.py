from django.contrib.auth import get_user_model
from django.core.validators import ProhibitNullCharactersValidator
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.validators import ProhibitSurrogateCharactersValidator

from articles.models import Article, ArticleRevision


class ArticleTextField(serializers.CharField):
    """An article's text as sent. DRF's CharField checks for NUL and lone surrogates one
    character at a time in Python, seconds on a long story; ``services.clean_text`` refuses
    both with the same messages in one pass."""

    def __init__(self, **kwargs):
        super().__init__(trim_whitespace=False, **kwargs)
        self.validators = [
            v
            for v in self.validators
            if not isinstance(
                v, ProhibitNullCharactersValidator | ProhibitSurrogateCharactersValidator
            )
        ]


class ArticleSerializer(serializers.ModelSerializer):
    revision = serializers.IntegerField(
        source="current_revision.number", read_only=True, allow_null=True
    )
    text = serializers.CharField(
        read_only=True, help_text="The stored, normalised text; offsets count into it."
    )
    sha256 = serializers.CharField(
        source="current_revision.sha256", read_only=True, allow_null=True
    )
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    annotation_count = serializers.IntegerField(read_only=True, required=False)
    assignees = serializers.SlugRelatedField(slug_field="username", many=True, read_only=True)

    class Meta:
        model = Article
        fields = [
            "id", "title", "byline", "source_url", "published_at", "language", "status",
            "revision", "sha256", "text", "annotation_count", "assignees", "created_by", "created_at",
            "updated_at", "extraction",
        ]  # fmt: skip
        read_only_fields = ["status", "created_at", "updated_at"]


class ArticleCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    text = ArticleTextField(required=False, allow_blank=True)
    file = serializers.FileField(
        required=False, help_text="Multipart: .txt, .html, .htm, .md, .docx"
    )
    byline = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    source_url = serializers.URLField(max_length=2000, required=False, allow_blank=True, default="")
    published_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    language = serializers.CharField(max_length=35, required=False, allow_blank=True, default="")
    fetch = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Fetch the page at `source_url` and take the story from it (instead of `text` or `file`).",
    )
    encoding = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="With `file` or `fetch`: read the bytes in this encoding instead of detecting it.",
    )

    def validate(self, attrs):
        if attrs.get("fetch"):
            if not attrs.get("source_url"):
                raise serializers.ValidationError({"source_url": "`fetch` needs a `source_url`."})
            if attrs.get("file") or "text" in attrs or attrs.get("annotations"):
                raise serializers.ValidationError(
                    {"fetch": "with `fetch`, send no `text`, `file` or `annotations`."}
                )
            return attrs
        if bool(attrs.get("file")) == ("text" in attrs):
            raise serializers.ValidationError(
                {"text": "send either `text` or a `file`, one of the two."}
            )
        return attrs


class ArticleUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=500, required=False)
    text = ArticleTextField(required=False, help_text="A new revision; annotations re-anchor.")
    byline = serializers.CharField(max_length=500, required=False, allow_blank=True)
    source_url = serializers.URLField(max_length=2000, required=False, allow_blank=True)
    published_at = serializers.DateTimeField(required=False, allow_null=True)
    language = serializers.CharField(max_length=35, required=False, allow_blank=True)
    status = serializers.ChoiceField(choices=Article.Status.choices, required=False)
    assignees = serializers.SlugRelatedField(
        slug_field="username",
        many=True,
        required=False,
        queryset=get_user_model().objects.filter(is_active=True),
        help_text="Usernames of the annotators who work on it; empty opens it to every annotator.",
    )


class RevisionSummarySerializer(serializers.Serializer):
    """What became of the annotations when this text replaced the one before."""

    kept = serializers.IntegerField()
    moved = serializers.IntegerField()
    changed = serializers.IntegerField()
    orphaned = serializers.IntegerField()


class RevisionSerializer(serializers.ModelSerializer):
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    current = serializers.SerializerMethodField()
    summary = serializers.SerializerMethodField()

    class Meta:
        model = ArticleRevision
        fields = [
            "id",
            "number",
            "sha256",
            "text",
            "created_by",
            "created_at",
            "current",
            "summary",
        ]

    @extend_schema_field(RevisionSummarySerializer(allow_null=True))
    def get_summary(self, revision) -> dict | None:
        return revision.anchoring or None

    def get_current(self, revision) -> bool:
        return revision.article.current_revision_id == revision.pk


class RevisionHunkSerializer(serializers.Serializer):
    op = serializers.ChoiceField(choices=["equal", "delete", "insert", "replace"])
    old_start = serializers.IntegerField()
    old_end = serializers.IntegerField()
    new_start = serializers.IntegerField()
    new_end = serializers.IntegerField()
    text = serializers.CharField(required=False, help_text="An equal hunk's text.")
    old_text = serializers.CharField(required=False)
    new_text = serializers.CharField(required=False)
    moved = serializers.BooleanField(required=False, help_text="Its text was moved elsewhere.")


class RevisionCompareSerializer(serializers.Serializer):
    # "from" is a Python keyword: the field is declared under its name below.
    to = serializers.IntegerField()
    deleted = serializers.IntegerField(help_text="Characters deleted (a move counts too).")
    inserted = serializers.IntegerField()
    hunks = RevisionHunkSerializer(many=True)

    def get_fields(self):
        fields = super().get_fields()
        return {"from": serializers.IntegerField(), **fields}


class ArticleStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Article.Status.choices)
