"""Data shapes of the API's writes and of the other resources. An annotation as reads show it
is defined once, in representation.py (``AnnotationSerializer`` is built there)."""

from rest_framework import serializers

from annotator.models import Annotation, Entity, Label, Relation
from annotator.selectors import live_annotations


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
    # Counted by the list's query; an entity just created has none yet (the default), so the
    # create answer carries them too, as the schema says.
    mention_count = serializers.IntegerField(read_only=True, default=0)
    quote_count = serializers.IntegerField(read_only=True, default=0)

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


class VisibleAnnotationField(serializers.PrimaryKeyRelatedField):
    """A live annotation the requesting user may read. Any other id, one of an article they
    may not see included, gets the answer a missing id gets, so ids cannot be probed."""

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return Annotation.objects.none()
        return live_annotations(request.user)


class RelationSerializer(serializers.ModelSerializer):
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)
    article = serializers.IntegerField(source="article_id", read_only=True)
    source = VisibleAnnotationField()
    target = VisibleAnnotationField()

    class Meta:
        model = Relation
        fields = ["id", "article", "source", "target", "type", "author", "created_at"]
        read_only_fields = ["created_at"]
        # No unique-together check here: it would answer "must make a unique set" before the
        # service has asked whether this user may link tags in that article at all. The
        # service checks permission first, then uniqueness (full_clean).
        validators: list = []
