import pytest


@pytest.fixture(autouse=True)
def _omaha_vocabulary(request: pytest.FixtureRequest) -> None:
    """Tests here need the vocabulary the data migration loads. A transactional test's flush
    (or a reused database after one) empties it, so reload it when it is missing."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        return
    transactional = marker.kwargs.get("transaction", False)
    request.getfixturevalue("transactional_db" if transactional else "db")
    from omaha.vocabulary import ensure_vocabulary

    ensure_vocabulary()


@pytest.fixture(scope="session", autouse=True)
def _omaha_vocabulary_committed(django_db_setup: None, django_db_blocker) -> None:  # noqa: ANN001
    """Commit the vocabulary once per run when a reused database lost it to a flush, so the
    per-test check above does not reload it inside every rolled-back test transaction."""
    from omaha.vocabulary import ensure_vocabulary

    with django_db_blocker.unblock():
        ensure_vocabulary()
