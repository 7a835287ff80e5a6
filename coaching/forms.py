"""Shapes of page input. Rules (empty post, strangers, file types) live in the services."""

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from coaching.filetypes import ALLOWED_DESCRIPTION
from coaching.models import MAX_ATTACHMENT_BYTES, MAX_BODY_LENGTH, MAX_SUBJECT_LENGTH
from omaha.models import Problem

FILES_HELP = format_lazy(
    _("Optional. {types}; at most {limit} MB per file."),
    types=ALLOWED_DESCRIPTION,
    limit=MAX_ATTACHMENT_BYTES // 2**20,
)
BODY_HELP = _("Write @username to notify someone who can see this space.")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (the pattern from Django's file-upload docs)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        if not data:
            return []
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


class PostForm(forms.Form):
    # Not `required`: the service gives the one "write a message" error for page and API alike.
    body = forms.CharField(
        label=_("Message"),
        required=False,
        strip=False,
        max_length=MAX_BODY_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=BODY_HELP,
    )
    # The form's metaclass moves fields off the class, so this does not shadow the instance's
    # uploaded `files`; the stubs cannot know that.
    files = MultipleFileField(  # type: ignore[assignment]
        label=_("Attach files"), required=False, help_text=FILES_HELP
    )


class ThreadForm(PostForm):
    field_order = ["subject", "body", "is_question", "problems", "files"]

    subject = forms.CharField(label=_("Subject"), required=False, max_length=MAX_SUBJECT_LENGTH)
    is_question = forms.BooleanField(label=_("This is a question for all teams"), required=False)

    problems = forms.ModelMultipleChoiceField(
        label=_("Omaha problems this is about"),
        queryset=Problem.objects.order_by("number"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Optional. Tagged answered questions show on clients' problem pages."),
    )

    def __init__(self, *args: Any, channel: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not channel:
            del self.fields["is_question"]
            del self.fields["problems"]


MAX_PERIOD_DAYS = 366
PERIOD_TOO_LONG = format_lazy(_("Choose a period of at most {limit} days."), limit=MAX_PERIOD_DAYS)
PERIOD_REVERSED = _("The end date cannot be before the start date.")


class PeriodForm(forms.Form):
    """The figures' period; both dates included. Defaults to the last four weeks."""

    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", PERIOD_REVERSED)
            elif (end - start).days + 1 > MAX_PERIOD_DAYS:
                self.add_error("end", PERIOD_TOO_LONG)
        return data
