"""`teams.http.signed_in_user`: the signed-in user of a request, for API views and the admin."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from rest_framework.request import Request

from teams.http import signed_in_user
from tests.factories import NurseFactory

pytestmark = pytest.mark.django_db


def test_a_signed_in_user_is_returned_from_a_page_request_and_an_api_request() -> None:
    nurse = NurseFactory()
    page = RequestFactory().get("/")
    page.user = nurse
    api = Request(RequestFactory().get("/"))
    api.user = nurse
    assert signed_in_user(page) == nurse
    assert signed_in_user(api) == nurse


def test_an_anonymous_caller_is_refused_instead_of_reaching_a_service() -> None:
    page = RequestFactory().get("/")
    page.user = AnonymousUser()
    with pytest.raises(PermissionDenied, match="^$"):
        signed_in_user(page)
    # a DRF request with no authenticator is anonymous
    with pytest.raises(PermissionDenied, match="^$"):
        signed_in_user(Request(RequestFactory().get("/"), authenticators=()))
