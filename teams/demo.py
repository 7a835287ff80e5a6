"""Demo accounts, one per role, plus two neighbourhoods with a team each."""

from datetime import timedelta
from decimal import Decimal
from typing import TextIO

from django.utils import timezone

from teams.models import CoachAssignment, Membership, Neighbourhood, PostcodeArea, Role, Team, User
from teams.names import Sex
from teams.services import team_create

DEMO_PASSWORD = "demo-password-2026"

DEMO_USERS = [
    # username, initials, first name, name prefix, last name, sex, role
    ("admin", "A.M.", "Anna", "de", "Vries", Sex.FEMALE, Role.ADMIN),
    ("coach", "C.", "Carla", "", "Jansen", Sex.FEMALE, Role.COACH),
    ("backoffice", "B.J.", "Bram", "van den", "Berg", Sex.MALE, Role.BACK_OFFICE),
    ("nurse", "N.", "Noor", "", "Bakker", Sex.FEMALE, Role.NURSE),
    ("nurse2", "S.E.", "Sanne", "van der", "Meer", Sex.FEMALE, Role.NURSE),
    ("nurse3", "F.", "Fatima", "", "El Amrani", Sex.FEMALE, Role.NURSE),
    ("nurse4", "E.M.", "Eva", "", "Mulder", Sex.FEMALE, Role.NURSE),
    ("nurse5", "L.", "Lotte", "de", "Boer", Sex.FEMALE, Role.NURSE),
    ("nurse6", "I.", "Ilse", "in 't", "Veld", Sex.FEMALE, Role.NURSE),
]

DEMO_TEAMS = [
    # team, neighbourhood, postcodes, population, nurses
    ("Team Oost", "Amsterdam Oost", ["1091", "1092", "1093"], 9400, ["nurse", "nurse2", "nurse3"]),
    ("Team Noord", "Amsterdam Noord", ["1021", "1022"], 8700, ["nurse4", "nurse5", "nurse6"]),
]


def demo_user(username: str) -> User:
    return User.objects.get(username=username)


def load(stdout: TextIO) -> None:
    for username, initials, first, prefix, last, sex, role in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "initials": initials,
                "first_name": first,
                "name_prefix": prefix,
                "last_name": last,
                "sex": sex,
                "role": role,
                "email": f"{username}@demo.buurtzorg.example",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            if role == Role.ADMIN:
                user.is_staff = user.is_superuser = True
            user.save()
    coach = demo_user("coach")
    demo_user("admin")  # the demo admin account
    # Long-standing teams, so the demo's visit history (from last month on) has its nurses.
    start = timezone.localdate().replace(month=1, day=1) - timedelta(days=365)
    for team_name, hood_name, codes, population, nurses in DEMO_TEAMS:
        hood, _ = Neighbourhood.objects.get_or_create(
            name=hood_name, defaults={"population_estimate": population}
        )
        for code in codes:
            PostcodeArea.objects.get_or_create(code=code, defaults={"neighbourhood": hood})
        # Through the service, so what apps keep per team (coaching: its space) is made too.
        team = Team.objects.filter(name=team_name).first() or team_create(
            name=team_name, neighbourhood=hood, is_active=True
        )
        CoachAssignment.objects.get_or_create(coach=coach, team=team)
        for seat, username in enumerate(nurses, start=1):
            nurse = demo_user(username)
            if not Membership.objects.active().filter(nurse=nurse).exists():
                Membership.objects.create(
                    team=team,
                    nurse=nurse,
                    seat=seat,
                    started_on=start,
                    contracted_hours=Decimal("28"),
                )
    stdout.write(f"Demo accounts ready (password for all: {DEMO_PASSWORD}).")
