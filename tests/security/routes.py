"""Every URL pattern and API route, derived from the URL configuration (never listed by hand)."""

from collections.abc import Iterator

from django.urls import URLPattern, URLResolver, get_resolver


def _walk(patterns: list, prefix: str, namespace: str | None) -> Iterator[tuple[str, str, list]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            if pattern.name is None:
                name = f"<unnamed {prefix}{pattern.pattern}>"
            else:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            kwargs = list(pattern.pattern.regex.groupindex)
            yield name, prefix + str(pattern.pattern), kwargs


def all_routes() -> list[tuple[str, str, list[str]]]:
    """(name, route, kwarg names) for every pattern, admin site included."""
    return list(_walk(get_resolver().url_patterns, "/", None))
