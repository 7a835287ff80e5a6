from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from buurtzorg.access import has_role
from scheduling.setup.api.serializers import ChecklistOutput
from scheduling.setup.selectors import setup_checklist
from teams.models import Role


class SetupChecklistApi(APIView):
    """The administrator's set-up checklist: what a fresh install still needs."""

    permission_classes = [has_role(Role.ADMIN)]

    @extend_schema(responses={200: ChecklistOutput})
    def get(self, request: Request) -> Response:
        items = setup_checklist()
        data = {
            "complete": all(item.done for item in items),
            "items": [
                {
                    "key": item.key,
                    "title": str(item.title),
                    "help": str(item.help),
                    "done": item.done,
                    "url": request.build_absolute_uri(reverse(item.url_name))
                    if item.url_name
                    else None,
                }
                for item in items
            ],
        }
        return Response(ChecklistOutput(data).data)
