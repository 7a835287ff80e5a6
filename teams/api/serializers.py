from decimal import Decimal

from rest_framework import serializers

from teams.models import Membership, Neighbourhood, Organisation, Role, Team, User


class UserBriefOutput(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    name = serializers.CharField(source="__str__", read_only=True, help_text='"Jan de Jong"')
    formal_name = serializers.CharField(read_only=True, help_text='"J.H. de Jong"')

    class Meta:
        model = User
        # The name parts the Dutch way (teams.names); her sex stays on her account page.
        fields = [
            "id",
            "username",
            "name",
            "initials",
            "first_name",
            "name_prefix",
            "last_name",
            "formal_name",
            "role",
        ]


class NeighbourhoodOutput(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    postcodes = serializers.SerializerMethodField()
    over_population_limit = serializers.BooleanField(
        source="is_over_population_limit", read_only=True
    )

    class Meta:
        model = Neighbourhood
        fields = ["id", "name", "postcodes", "population_estimate", "over_population_limit"]

    def get_postcodes(self, obj: Neighbourhood) -> list[str]:
        return [p.code for p in obj.postcode_areas.all()]


class NeighbourhoodInput(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    postcodes = serializers.ListField(child=serializers.CharField(max_length=10), allow_empty=False)
    population_estimate = serializers.IntegerField(min_value=0, max_value=10_000_000)


class TeamOutput(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    neighbourhood = serializers.UUIDField(source="neighbourhood.public_id", read_only=True)
    neighbourhood_name = serializers.CharField(source="neighbourhood.name", read_only=True)
    active_nurses = serializers.IntegerField(read_only=True)
    max_nurses = serializers.SerializerMethodField()

    class Meta:
        model = Team
        fields = [
            "id",
            "name",
            "neighbourhood",
            "neighbourhood_name",
            "is_active",
            "active_nurses",
            "max_nurses",
        ]

    def get_max_nurses(self, obj: Team) -> int:
        return Team.MAX_NURSES


class TeamInput(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    neighbourhood = serializers.SlugRelatedField(
        slug_field="public_id", queryset=Neighbourhood.objects.all()
    )
    is_active = serializers.BooleanField(default=True)


class MembershipOutput(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    nurse = UserBriefOutput(read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "nurse", "seat", "started_on", "ended_on", "contracted_hours"]


class MembershipInput(serializers.Serializer):
    nurse = serializers.SlugRelatedField(
        slug_field="public_id", queryset=User.objects.filter(role=Role.NURSE)
    )
    started_on = serializers.DateField(required=False)
    contracted_hours = serializers.DecimalField(
        max_digits=4, decimal_places=1, min_value=0, max_value=60, default=Decimal("24")
    )


class TokenInput(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"})
    otp_token = serializers.CharField(
        required=False,
        default="",
        allow_blank=True,
        max_length=16,
        help_text="The 6-digit code from the authenticator app; required for accounts that "
        "use two-factor login (400 with an otp_token error when missing or wrong).",
    )


class TokenOutput(serializers.Serializer):
    token = serializers.CharField()


class OrganisationOutput(serializers.ModelSerializer):
    updated_by = serializers.CharField(source="updated_by.username", read_only=True, default=None)
    is_complete = serializers.BooleanField(read_only=True)

    class Meta:
        model = Organisation
        fields = [
            *Organisation.DETAIL_FIELDS,
            "is_complete",
            "updated_by",
            "updated_at",
        ]


class OrganisationInput(serializers.Serializer):
    """Shape only: formats and the IBAN check digits are checked by the service (400)."""

    name = serializers.CharField(max_length=120)
    address = serializers.CharField(max_length=120)
    postcode = serializers.CharField(max_length=8)
    city = serializers.CharField(max_length=80)
    kvk_number = serializers.CharField(max_length=12)
    agb_code = serializers.CharField(max_length=12)
    iban = serializers.CharField(max_length=42)
    vat_exemption_note = serializers.CharField(max_length=200, allow_blank=True, required=False)
    payment_term_days = serializers.IntegerField(min_value=1, max_value=365)
