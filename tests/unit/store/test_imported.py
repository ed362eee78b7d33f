"""``store.imported``: which absolute URLs are under a base URL, and what an imported request loses."""

from __future__ import annotations

from labs_tui.spec.model import Operation, SecurityScheme
from labs_tui.store.collection import SavedRequest
from labs_tui.store.imported import drop_api_keys, relative_to_base


def test_only_a_url_under_the_base_url_is_relative_to_it() -> None:
    base = "http://127.0.0.1:8798/v1"
    assert relative_to_base("http://127.0.0.1:8798/v1/pet/1?a=1", base) == "/pet/1?a=1"
    assert relative_to_base("http://127.0.0.1:8798/v1", base + "/") == "/"
    assert relative_to_base("http://127.0.0.1:8798/v10/pet/1", base) is None  # not a path prefix
    assert relative_to_base("http://127.0.0.1:8799/v1/pet/1", base) is None  # another port
    assert relative_to_base("https://127.0.0.1:8798/v1/pet/1", base) is None  # another scheme
    assert relative_to_base("/pet/1", base) is None and relative_to_base("http://h/x", None) is None


def test_only_the_operations_api_keys_are_dropped_and_named() -> None:
    schemes = (
        SecurityScheme("a", "apiKey", location="cookie", parameter_name="sid"),
        SecurityScheme("b", "apiKey", location="cookie", parameter_name="other"),
    )
    operation = Operation("GET", "/carts", auth=((schemes[0],), (schemes[1],)))
    saved = SavedRequest(
        name="x", method="GET", path="/carts?q=1", headers=(("Cookie", "sid=s3cret; theme=dark"),)
    )
    dropped = drop_api_keys(saved, operation)
    assert dropped.saved.headers == (("Cookie", "theme=dark"),) and dropped.saved.path == "/carts?q=1"
    assert dropped.notices == ("the command's cookie sid was dropped: the profile's token is sent instead",)
    assert dropped.secrets == ("s3cret",)
    assert drop_api_keys(saved, None).saved is saved
