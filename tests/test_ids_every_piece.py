"""Every piece of pasted text is accounted for: look-alike ids, share-link lists, long pieces."""

from __future__ import annotations

import pytest

from a2e.core.ids import SHOWN_PIECE_LIMIT, parse_id_list, parse_task_ids, shown_piece

A = "67d29023dd27a536fdf6e809"
B = "67d29023dd27a536fdf6e80a"
FULLWIDTH = str.maketrans({char: chr(ord(char) + 0xFEE0) for char in "0123456789abcdef"})


@pytest.mark.parametrize(
    "disguised",
    [
        A.replace("a", "\u0430", 1),  # Cyrillic а
        A.replace("0", "\u03bf", 1),  # Greek omicron
        A.replace("e", "\u0435"),  # Cyrillic е, every one
        A.translate(FULLWIDTH),  # fullwidth digits and letters
        A[:-3] + "809".translate(FULLWIDTH),  # hex mixed with fullwidth digits
        "67d2" + "\u0430" * 19 + "9",  # mostly look-alikes
    ],
)
def test_an_id_with_look_alike_characters_is_listed_back_not_looked_up(disguised):
    for text in (disguised, f"task {disguised} failed", f"{B}\n{disguised}"):
        parsed = parse_task_ids(text)
        assert disguised in parsed.rejected
        assert A not in parsed.ids


def test_an_id_glued_to_words_of_another_script_is_still_found():
    parsed = parse_task_ids(f"任务{A}失败")
    assert (parsed.ids, parsed.rejected) == ((A,), ())


def test_prose_in_other_scripts_is_neither_an_id_nor_rejected():
    parsed = parse_task_ids("Задача заказа 12345 не найдена; ο χρήστης περιμένει")
    assert parsed == parse_task_ids("")


def test_a_long_rejected_piece_is_shortened_with_an_ellipsis():
    piece = "1" + "z" * 5_000
    (shown,) = parse_task_ids(piece).rejected
    assert len(shown) == SHOWN_PIECE_LIMIT
    assert shown == piece[: SHOWN_PIECE_LIMIT - 1] + "…"


def test_a_share_list_rejects_every_piece_that_is_not_an_id():
    parsed = parse_id_list(f"{A},{A.upper()}, ,bad,{B} hello,, {A[:-1]}")
    assert parsed.ids == (A, B)
    assert parsed.rejected == ("bad", "hello", A[:-1])


def test_a_share_list_shows_invisible_characters_and_shortens_long_pieces():
    parsed = parse_id_list("\u202egnp.exe," + "x" * 500)
    assert parsed.rejected == ("\ufffdgnp.exe", "x" * (SHOWN_PIECE_LIMIT - 1) + "…")


def test_an_empty_share_list_has_nothing_in_it():
    assert parse_id_list(" , ,") == parse_id_list("")
    assert parse_id_list("").ids == parse_id_list("").rejected == ()


def test_a_short_piece_is_shown_as_it_is():
    assert shown_piece("task42") == "task42"
