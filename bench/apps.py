from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Benchmark tooling (`manage.py generate_scale`). Installed only by `bench.settings`, so
    production never loads it and no production module imports `bench`."""

    name = "bench"
    verbose_name = "Benchmarks"
