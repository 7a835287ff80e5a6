from django.db.models import QuerySet
from rest_framework import serializers

from buurtzorg.api import VisibleSlugRelatedField
from coaching.forms import MAX_PERIOD_DAYS, PERIOD_REVERSED, PERIOD_TOO_LONG
from coaching.models import MAX_BODY_LENGTH, MAX_SUBJECT_LENGTH, Attachment, Post, Space, Thread
from coaching.selectors import space_list_visible
from coaching.services import SPACE_NOT_YOURS
from omaha.models import Problem
from teams.api.serializers import UserBriefOutput
from teams.models import User


def _visible_spaces(user: User) -> QuerySet[Space]:
    return space_list_visible(user=user)


class SpaceOutput(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    team = serializers.UUIDField(source="team.public_id", read_only=True, allow_null=True)
    unread = serializers.IntegerField(read_only=True)

    class Meta:
        model = Space
        fields = ["id", "kind", "name", "team", "unread"]


class ThreadOutput(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    space = serializers.UUIDField(source="space.public_id", read_only=True)
    author = UserBriefOutput(read_only=True, allow_null=True)
    problems = serializers.ManyRelatedField(
        child_relation=serializers.SlugRelatedField(slug_field="code", read_only=True),
        read_only=True,
    )

    class Meta:
        model = Thread
        fields = [
            "id",
            "space",
            "subject",
            "author",
            "is_question",
            "is_system",
            "problems",
            "answered_at",
            "last_post_at",
            "created_at",
        ]


class ThreadInput(serializers.Serializer):
    # A space the caller may not enter and one that does not exist give the same message.
    space = VisibleSlugRelatedField(
        model=Space,
        visible=_visible_spaces,
        error_messages={"does_not_exist": SPACE_NOT_YOURS},
    )
    subject = serializers.CharField(max_length=MAX_SUBJECT_LENGTH, allow_blank=True)
    body = serializers.CharField(
        max_length=MAX_BODY_LENGTH, allow_blank=True, trim_whitespace=False
    )
    is_question = serializers.BooleanField(default=False)
    problems = serializers.ManyRelatedField(
        child_relation=serializers.SlugRelatedField(
            slug_field="code", queryset=Problem.objects.all()
        ),
        required=False,
        default=list,
    )
    files = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class AttachmentOutput(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Attachment
        fields = ["id", "original_name", "content_type", "size", "url"]


class PostOutput(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    author = UserBriefOutput(read_only=True, allow_null=True)
    attachments = AttachmentOutput(many=True, read_only=True)
    mentions = serializers.SerializerMethodField()

    class Meta:
        model = Post
        fields = [
            "id",
            "author",
            "body",
            "is_system",
            "is_decision",
            "decided_at",
            "attachments",
            "mentions",
            "created_at",
        ]

    def get_mentions(self, obj: Post) -> list[str]:
        return [m.person.username for m in obj.mentions.all()]


class PostInput(serializers.Serializer):
    body = serializers.CharField(
        max_length=MAX_BODY_LENGTH, allow_blank=True, trim_whitespace=False
    )
    files = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class PeriodInput(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()

    def validate(self, attrs: dict) -> dict:
        if attrs["end"] < attrs["start"]:
            raise serializers.ValidationError({"end": [PERIOD_REVERSED]})
        if (attrs["end"] - attrs["start"]).days + 1 > MAX_PERIOD_DAYS:
            raise serializers.ValidationError({"end": [PERIOD_TOO_LONG]})
        return attrs


class FigureOutput(serializers.Serializer):
    key = serializers.CharField()
    # The stubs see Field.label (a field's own label) here; the serializer's metaclass moves
    # declared fields into _declared_fields, so this "label" output field shadows nothing.
    label = serializers.CharField()  # type: ignore[assignment]
    definition = serializers.CharField()
    value = serializers.FloatField(allow_null=True)
    text = serializers.CharField()


class TeamFiguresOutput(serializers.Serializer):
    team = serializers.UUIDField()
    team_name = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    figures = FigureOutput(many=True)
    details = serializers.DictField()
    split_nudge = serializers.CharField(allow_blank=True)
