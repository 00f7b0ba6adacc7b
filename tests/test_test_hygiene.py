"""The test suite's own hygiene: a browser expectation always asserts something."""

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def bare_expectations(source: str) -> list[int]:
    """Lines where ``expect(...)`` is never checked: alone, or with a check named but not called."""
    return [
        node.lineno
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Expr)
        and (
            _is_expect(node.value)
            or (isinstance(node.value, ast.Attribute) and _is_expect(node.value.value))
        )
    ]


def _is_expect(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "expect"
    )


def test_the_hygiene_check_finds_a_bare_expectation():
    assert bare_expectations("expect(page.get_by_text('x'))\n") == [1]
    assert bare_expectations("expect(page.get_by_text('x')).to_be_visible\n") == [1]
    assert bare_expectations("expect(page.get_by_text('x')).to_be_visible()\n") == []


def test_no_browser_expectation_asserts_nothing():
    found = {
        str(path.relative_to(TESTS)): lines
        for path in sorted(TESTS.rglob("*.py"))
        if (lines := bare_expectations(path.read_text(encoding="utf-8")))
    }
    assert found == {}
