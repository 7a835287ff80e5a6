from rest_framework import serializers

from clients.models import (
    KEY_INFO_MAX_LENGTH,
    POLICY_NUMBER_LENGTH,
    CareIndication,
    Client,
    ClientProblem,
    ClientProblemSign,
    Insurer,
    Intervention,
    NetworkContact,
    OutcomeRating,
    Priority,
    RatingMoment,
)
from omaha.models import Scope, Severity
from teams.names import (
    INITIALS_MAX_LENGTH,
    NAME_PREFIX_MAX_LENGTH,
    Sex,
    initials_validator,
    name_prefix_validator,
)


class ClientIndicationOutput(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)

    class Meta:
        model = CareIndication
        fields = ["id", "hours_per_week", "products", "valid_from", "valid_until"]


class ClientAdminOutput(serializers.ModelSerializer):
    """What back office may read: administrative fields only."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    # Plain strings, not enums: several apps have a `status` with other values, and
    # drf-spectacular's enum-name collision is a deploy-check warning.
    status = serializers.CharField(read_only=True, help_text="active or discharged")
    team = serializers.CharField(source="team.name", read_only=True)
    insurer_name = serializers.CharField(source="insurer.name", read_only=True)
    insurer_uzovi = serializers.CharField(source="insurer.uzovi", read_only=True)
    sex = serializers.CharField(
        read_only=True,
        help_text="Vektis COD046: 0 unknown, 1 male, 2 female, 9 not specified",
    )
    display_name = serializers.CharField(read_only=True, help_text='"Jan de Jong"')
    formal_name = serializers.CharField(read_only=True, help_text='"J.H. de Jong"')

    class Meta:
        model = Client
        fields = [
            "id",
            "initials",
            "first_name",
            "name_prefix",
            "last_name",
            "sex",
            "display_name",
            "formal_name",
            "date_of_birth",
            "bsn",
            "street",
            "house_number",
            "postcode",
            "city",
            "insurer_name",
            "insurer_uzovi",
            "policy_number",
            "team",
            "status",
            "admitted_on",
            "discharged_on",
        ]


class ClientOutput(ClientAdminOutput):
    class Meta(ClientAdminOutput.Meta):
        fields = [
            *ClientAdminOutput.Meta.fields,
            "phone",
            "key_safe_note",
            "allergies",
            "alarm_note",
            "gp_name",
            "gp_agb",
            "discharge_reason",
        ]


class ClientDetailOutput(ClientOutput):
    indications = ClientIndicationOutput(many=True, read_only=True)

    class Meta(ClientOutput.Meta):
        fields = [*ClientOutput.Meta.fields, "indications"]


class ClientAdminDetailOutput(ClientAdminOutput):
    indications = ClientIndicationOutput(many=True, read_only=True)

    class Meta(ClientAdminOutput.Meta):
        fields = [*ClientAdminOutput.Meta.fields, "indications"]


class ClientInput(serializers.Serializer):
    initials = serializers.CharField(
        max_length=INITIALS_MAX_LENGTH,
        required=False,
        allow_blank=True,
        default="",
        validators=[initials_validator],
        help_text='Voorletters, e.g. "J.H."; empty: taken from the first name',
    )
    first_name = serializers.CharField(max_length=80, help_text="Roepnaam")
    name_prefix = serializers.CharField(
        max_length=NAME_PREFIX_MAX_LENGTH,
        required=False,
        allow_blank=True,
        default="",
        validators=[name_prefix_validator],
        help_text='Tussenvoegsel, e.g. "van den"',
    )
    last_name = serializers.CharField(max_length=120, help_text="Achternaam without the prefix")
    sex = serializers.ChoiceField(
        choices=Sex.choices,
        required=False,
        default=Sex.UNKNOWN,
        help_text="Vektis COD046: 0 unknown, 1 male, 2 female, 9 not specified",
    )
    date_of_birth = serializers.DateField()
    bsn = serializers.CharField(max_length=9)
    street = serializers.CharField(max_length=120)
    house_number = serializers.CharField(max_length=12)
    postcode = serializers.CharField(max_length=8)
    city = serializers.CharField(max_length=80)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    insurer = serializers.SlugRelatedField(slug_field="uzovi", queryset=Insurer.objects.all())
    policy_number = serializers.CharField(max_length=POLICY_NUMBER_LENGTH)
    gp_name = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    gp_agb = serializers.CharField(max_length=8, required=False, allow_blank=True, default="")
    key_safe_note = serializers.CharField(
        max_length=KEY_INFO_MAX_LENGTH, required=False, allow_blank=True, default=""
    )
    allergies = serializers.CharField(
        max_length=KEY_INFO_MAX_LENGTH, required=False, allow_blank=True, default=""
    )
    alarm_note = serializers.CharField(
        max_length=KEY_INFO_MAX_LENGTH, required=False, allow_blank=True, default=""
    )
    admitted_on = serializers.DateField()


class ClientUpdateInput(ClientInput):
    admitted_on = None  # type: ignore[assignment]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for field in self.fields.values():
            field.required = False


class ClientProblemSignOutput(serializers.ModelSerializer):
    key = serializers.CharField(source="sign.key", read_only=True)
    name = serializers.CharField(source="sign.name", read_only=True)
    is_other = serializers.BooleanField(source="sign.is_other", read_only=True)

    class Meta:
        model = ClientProblemSign
        fields = ["key", "name", "is_other", "other_text", "other_reason"]


class ClientProblemOutput(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    problem_code = serializers.CharField(source="problem.code", read_only=True)
    problem = serializers.CharField(source="problem.name", read_only=True)
    domain = serializers.CharField(source="problem.domain.name", read_only=True)
    status = serializers.CharField(read_only=True, help_text="active or resolved")
    scope = serializers.CharField(read_only=True, help_text="individual, family or community")
    severity = serializers.CharField(
        read_only=True, help_text="health_promotion, potential or actual"
    )
    priority = serializers.CharField(read_only=True, help_text="high or low")
    signs_symptoms = ClientProblemSignOutput(source="signs", many=True, read_only=True)

    class Meta:
        model = ClientProblem
        fields = [
            "id",
            "problem_code",
            "problem",
            "domain",
            "scope",
            "severity",
            "priority",
            "status",
            "identified_on",
            "resolved_on",
            "signs_symptoms",
        ]


class ClientProblemSignInput(serializers.Serializer):
    key = serializers.CharField(max_length=5, help_text='Sign/symptom key, e.g. "24.03".')
    other_text = serializers.CharField(max_length=200, required=False, allow_blank=True)
    other_reason = serializers.CharField(max_length=300, required=False, allow_blank=True)


class ClientProblemInput(serializers.Serializer):
    problem = serializers.CharField(max_length=2, help_text='Omaha problem code, e.g. "24".')
    # Plain strings checked by the service (its message), not schema enums: other apps have
    # fields named `scope` with other values, and enum-name collisions fail the deploy check.
    scope = serializers.CharField(max_length=12, help_text=", ".join(Scope.values))
    severity = serializers.CharField(max_length=20, help_text=", ".join(Severity.values))
    priority = serializers.CharField(
        max_length=4, default=Priority.HIGH, help_text=", ".join(Priority.values)
    )
    identified_on = serializers.DateField()
    signs = ClientProblemSignInput(many=True, required=False, default=list)


class ClientInterventionOutput(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    client_problem = serializers.UUIDField(source="client_problem.public_id", read_only=True)
    problem_code = serializers.CharField(source="client_problem.problem.code", read_only=True)
    category_code = serializers.CharField(source="category.code", read_only=True)
    category = serializers.CharField(source="category.name", read_only=True)
    target_code = serializers.CharField(source="target.code", read_only=True)
    target = serializers.CharField(source="target.name", read_only=True)

    class Meta:
        model = Intervention
        fields = [
            "id",
            "client_problem",
            "problem_code",
            "category_code",
            "category",
            "target_code",
            "target",
            "target_other_text",
            "description",
            "frequency",
            "is_active",
        ]


class ClientInterventionInput(serializers.Serializer):
    client_problem = serializers.UUIDField()
    category = serializers.CharField(max_length=2, help_text="Category code 01-04.")
    target = serializers.CharField(max_length=2, help_text="Target code.")
    target_other_text = serializers.CharField(max_length=120, required=False, allow_blank=True)
    description = serializers.CharField()
    frequency = serializers.CharField(max_length=80, required=False, allow_blank=True)


class ClientRatingOutput(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    client_problem = serializers.UUIDField(source="client_problem.public_id", read_only=True)
    problem_code = serializers.CharField(source="client_problem.problem.code", read_only=True)
    rated_by = serializers.CharField(source="rated_by.__str__", read_only=True)

    class Meta:
        model = OutcomeRating
        fields = [
            "id",
            "client_problem",
            "problem_code",
            "rated_on",
            "moment",
            "knowledge",
            "behavior",
            "status",
            "expected_knowledge",
            "expected_behavior",
            "expected_status",
            "rated_by",
            "note",
        ]


class ClientRatingInput(serializers.Serializer):
    """Scores are passed to the service as given, so its 1..5 message is the one returned."""

    client_problem = serializers.UUIDField()
    rated_on = serializers.DateField()
    moment = serializers.ChoiceField(choices=RatingMoment.choices)
    knowledge = serializers.IntegerField()
    behavior = serializers.IntegerField()
    status = serializers.IntegerField()
    expected_knowledge = serializers.IntegerField(required=False, allow_null=True)
    expected_behavior = serializers.IntegerField(required=False, allow_null=True)
    expected_status = serializers.IntegerField(required=False, allow_null=True)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)


class ClientNetworkContactOutput(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)

    class Meta:
        model = NetworkContact
        fields = ["id", "name", "relation", "phone", "helps_with", "available_when"]
