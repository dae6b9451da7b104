"""Data shapes of the API. Reads of annotations are assembled by representation.py; the read
serializers here describe that shape for the OpenAPI schema and are checked against it in
tests."""

from rest_framework import serializers

from annotator.models import Annotation, Entity, Label, Relation


class LabelSerializer(serializers.ModelSerializer):
    class Meta:
        model = Label
        fields = [
            "id",
            "slug",
            "name",
            "kind",
            "entity_type",
            "color",
            "shortcut",
            "description",
            "active",
        ]


class AnnotationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    article = serializers.IntegerField()
    revision = serializers.IntegerField()
    label = serializers.SlugField()
    kind = serializers.ChoiceField(choices=["claim", "quote", "entity"])
    start = serializers.IntegerField(help_text="Code point offset, inclusive.")
    end = serializers.IntegerField(help_text="Code point offset, exclusive.")
    start_utf16 = serializers.IntegerField(
        required=False,
        help_text="`start` in UTF-16 code units (JavaScript); in an article's feed and exports.",
    )
    end_utf16 = serializers.IntegerField(
        required=False,
        help_text="`end` in UTF-16 code units (JavaScript); in an article's feed and exports.",
    )
    quote = serializers.CharField()
    prefix = serializers.CharField()
    suffix = serializers.CharField()
    attributes = serializers.DictField()
    status = serializers.ChoiceField(choices=Annotation.Status.choices)
    origin = serializers.ChoiceField(choices=Annotation.Origin.choices)
    author = serializers.CharField()
    reviewer = serializers.CharField(allow_null=True)
    reviewed_at = serializers.DateTimeField(allow_null=True)
    review_note = serializers.CharField()
    version = serializers.IntegerField()
    anchor_state = serializers.ChoiceField(choices=Annotation.AnchorState.choices)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    deleted = serializers.BooleanField()


class AnnotationCreateSerializer(serializers.Serializer):
    article = serializers.IntegerField()
    label = serializers.CharField(help_text="A label slug, e.g. claim, quote, person.")
    start = serializers.IntegerField(min_value=0)
    end = serializers.IntegerField(min_value=1)
    quote = serializers.CharField(required=False, trim_whitespace=False)
    attributes = serializers.DictField(required=False)


class AnnotationItemSerializer(AnnotationCreateSerializer):
    """One item of a bulk create; ``article`` may come from the wrapper instead."""

    article = serializers.IntegerField(required=False)


class AnnotationUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="The version you read; a stale one gets 409.")
    label = serializers.CharField(required=False)
    start = serializers.IntegerField(required=False, min_value=0)
    end = serializers.IntegerField(required=False, min_value=1)
    quote = serializers.CharField(required=False, trim_whitespace=False)
    attributes = serializers.DictField(required=False)


class ReviewSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", trim_whitespace=True)
    version = serializers.IntegerField(required=False)


class EntitySerializer(serializers.ModelSerializer):
    mention_count = serializers.IntegerField(read_only=True)
    quote_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Entity
        fields = [
            "id", "name", "type", "aliases", "wikidata_qid", "description",
            "mention_count", "quote_count", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["created_at", "updated_at"]

    def validate_aliases(self, value):
        if not isinstance(value, list) or not all(isinstance(a, str) for a in value):
            raise serializers.ValidationError("must be a list of names.")
        return [a.strip() for a in value if a.strip()]


class EntityMergeSerializer(serializers.Serializer):
    merge = serializers.PrimaryKeyRelatedField(
        queryset=Entity.objects.all(), help_text="Entity folded into this one."
    )


class RelationSerializer(serializers.ModelSerializer):
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)
    article = serializers.IntegerField(source="article_id", read_only=True)
    source = serializers.PrimaryKeyRelatedField(
        queryset=Annotation.objects.filter(deleted_at__isnull=True)
    )
    target = serializers.PrimaryKeyRelatedField(
        queryset=Annotation.objects.filter(deleted_at__isnull=True)
    )

    class Meta:
        model = Relation
        fields = ["id", "article", "source", "target", "type", "author", "created_at"]
        read_only_fields = ["created_at"]
