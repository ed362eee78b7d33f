"""The one endpoint filter: ``Spec.filter`` (the CLI) and ``FilterIndex`` (the TUI) agree."""

from __future__ import annotations

from labs_tui.spec import FilterIndex, Operation, Spec, filter_operations


def op(method: str, path: str, op_id: str, summary: str, tag: str) -> Operation:
    key = " ".join((method, path, op_id, summary, tag)).lower()
    return Operation(method, path, op_id, summary, tags=(tag,), search_key=key)


OPS = (
    op("GET", "/examples/demo", "GetExampleDemo", "Demonstrate pinning", "Examples"),
    op("POST", "/deployments", "CreateDeployment", "Create a deployment", "Deployments"),
    op("DELETE", "/deployments/{id}", "DeleteDeployment", "Delete one", "Deployments"),
    op("GET", "/dp/l", "GetDpl", "Letters across words", "Other"),
)


def test_spec_filter_is_the_index_filter_word_for_word() -> None:
    spec = Spec(source="test", operations=OPS)
    index = FilterIndex(OPS)
    for text in ("", "dpl", "DEPLOY", "post deploy", "demo", "dlt dpl", "zzz", "d", "de", "dep"):
        assert spec.filter(text) == index.filter(text) == filter_operations(OPS, text), text


def test_substrings_rank_first_then_letters_in_order_within_one_word() -> None:
    spec = Spec(source="test", operations=OPS)
    # "/dp/l" holds "dp" and "l" in two words: only its operationId "getdpl" holds "dpl" as a substring.
    assert [o.operation_id for o in spec.filter("dpl")] == ["GetDpl", "CreateDeployment", "DeleteDeployment"]
    assert [o.operation_id for o in spec.filter("Delete DEPLOY")] == ["DeleteDeployment"]
    assert spec.filter("  ") == list(OPS)
