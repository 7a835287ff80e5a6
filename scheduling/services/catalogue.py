"""Writes of the care services (prestaties) that visits are logged against and billing prices."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from scheduling.models import CareService
from teams.models import User

__all__ = ["CARE_SERVICE_CODE_TAKEN", "care_service_create", "care_service_update"]

CARE_SERVICE_CODE_TAKEN = _("Another care service already has code {code}.")


def _care_service_save(
    service: CareService, *, code: str, name: str, is_billable: bool
) -> CareService:
    service.code, service.name, service.is_billable = (
        code.strip().upper(),
        name.strip(),
        is_billable,
    )
    if CareService.objects.filter(code=service.code).exclude(pk=service.pk).exists():
        raise ValidationError({"code": [CARE_SERVICE_CODE_TAKEN.format(code=service.code)]})
    service.full_clean()
    try:
        with transaction.atomic():
            service.save()
    except IntegrityError as exc:  # lost a race for the same code
        raise ValidationError(
            {"code": [CARE_SERVICE_CODE_TAKEN.format(code=service.code)]}
        ) from exc
    return service


@transaction.atomic
def care_service_create(*, code: str, name: str, is_billable: bool, actor: User) -> CareService:
    """Add a care service. Codes are unique (a database constraint); a new service is not an
    example code."""
    return _care_service_save(CareService(), code=code, name=name, is_billable=is_billable)


@transaction.atomic
def care_service_update(
    *, service: CareService, code: str, name: str, is_billable: bool, actor: User
) -> CareService:
    """Change a care service. Billed lines keep the code they were sent with (copied)."""
    service = CareService.objects.select_for_update().get(pk=service.pk)
    return _care_service_save(service, code=code, name=name, is_billable=is_billable)
