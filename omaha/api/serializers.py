from rest_framework import serializers

from omaha.models import InterventionCategory, InterventionTarget, Problem, SignSymptom


class OmahaSignSymptomOutput(serializers.ModelSerializer):
    class Meta:
        model = SignSymptom
        fields = ["key", "code", "number", "name", "is_other"]


class OmahaProblemOutput(serializers.ModelSerializer):
    domain = serializers.CharField(source="domain.name", read_only=True)
    domain_code = serializers.CharField(source="domain.code", read_only=True)
    signs_symptoms = OmahaSignSymptomOutput(source="signs", many=True, read_only=True)

    class Meta:
        model = Problem
        fields = ["code", "number", "name", "definition", "domain", "domain_code", "signs_symptoms"]


class OmahaCategoryOutput(serializers.ModelSerializer):
    class Meta:
        model = InterventionCategory
        fields = ["code", "number", "name", "definition"]


class OmahaTargetOutput(serializers.ModelSerializer):
    class Meta:
        model = InterventionTarget
        fields = ["code", "number", "name", "definition", "is_other"]
