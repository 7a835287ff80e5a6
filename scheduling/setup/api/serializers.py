from rest_framework import serializers


class ChecklistItemOutput(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    help = serializers.CharField()
    done = serializers.BooleanField()
    # The page that does it; null when it is set outside the app (the server's .env).
    url = serializers.CharField(allow_null=True)


class ChecklistOutput(serializers.Serializer):
    complete = serializers.BooleanField()
    items = ChecklistItemOutput(many=True)
