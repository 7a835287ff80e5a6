"""The interface language: a user's own choice, the switch in the menu, and applying it.

Django picks a request's language in `LocaleMiddleware` from the language cookie, then the
browser's Accept-Language, then `LANGUAGE_CODE`. A signed-in user who chose a language keeps it
on every device: it is saved on her account (`User.language`) and applied after authentication
by `UserLanguageMiddleware`. A blank choice follows the browser. Anonymous pages (the login
page) get the browser's language.
"""

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from teams.models import User

LANGUAGE_UNKNOWN = _("Choose one of the languages offered.")


def language_codes() -> set[str]:
    return {code for code, _name in settings.LANGUAGES}


def user_set_language(*, user: User, language: str) -> User:
    """Save `user`'s interface language ("" follows the browser); only offered languages."""
    if language and language not in language_codes():
        raise ValidationError(LANGUAGE_UNKNOWN, code="language_unknown")
    user.language = language
    user.save(update_fields=["language"])
    return user


@require_POST
def language_switch(request: HttpRequest) -> HttpResponse:
    """The menu's switch: Django's `set_language` (cookie, safe redirect to `next`), and for a
    signed-in user the choice saved on her account through the service."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if isinstance(request.user, User) and language in language_codes():
        user_set_language(user=request.user, language=language)
    return response


class UserLanguageMiddleware:
    """Activates a signed-in user's own language (after AuthenticationMiddleware, before
    the view). Without a choice of hers, LocaleMiddleware's pick (cookie, browser) stands."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if isinstance(user, User) and user.language in language_codes():
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)
