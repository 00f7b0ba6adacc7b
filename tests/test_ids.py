"""Parsing pasted text into task ids."""

from a2e.core.ids import is_task_id, parse_task_ids

A = "67d29023dd27a536fdf6e809"
B = "67d29023dd27a536fdf6e80a"
C = "67d29023dd27a536fdf6e80b"


def test_ids_one_per_line_are_kept_in_order():
    assert parse_task_ids(f"{B}\n{A}\n{C}\n").ids == (B, A, C)


def test_commas_spaces_and_semicolons_all_separate_ids():
    assert parse_task_ids(f"{A},{B}; {C}").ids == (A, B, C)


def test_upper_case_ids_are_lower_cased_and_deduplicated():
    assert parse_task_ids(f"{A.upper()} {A} {B}").ids == (A, B)


def test_ids_are_found_inside_json():
    pasted = f'{{"code": 0, "data": {{"_id": "{A}", "name": "x"}}, "trace_id": "t"}}'
    assert parse_task_ids(pasted).ids == (A,)


def test_ids_are_found_inside_csv_rows_with_a_header():
    parsed = parse_task_ids(f"task_id,name,status\n{A},Sneaker,completed\n{B},Cat,failed\n")
    assert parsed.ids == (A, B)
    assert parsed.rejected == ()


def test_ids_are_found_inside_urls_and_log_lines():
    pasted = (
        f"GET https://video.a2e.ai/api/v1/userImage2Video/{A}?x=1 200\n"
        f"2025-03-13T07:58:27.863Z INFO task {B} completed in 42s"
    )
    assert parse_task_ids(pasted).ids == (A, B)


def test_a_trace_id_uuid_is_neither_an_id_nor_rejected():
    parsed = parse_task_ids(f"{A} trace f53cfb3c-1a42-4f07-b8e3-5020244b1e04")
    assert parsed.ids == (A,)
    assert parsed.rejected == ()


def test_truncated_and_mistyped_ids_are_rejected_by_name():
    parsed = parse_task_ids(f"{A[:-2]}\n{A[:-1]}g\n{A}{A}\n{C}")
    assert parsed.ids == (C,)
    assert parsed.rejected == (A[:-2], A[:-1] + "g", (A + A)[:39] + "…")


def test_a_lone_token_with_digits_on_its_own_line_is_rejected():
    assert parse_task_ids("task42\n").rejected == ("task42",)


def test_plain_words_are_ignored_not_rejected():
    parsed = parse_task_ids("please look at these: status completed")
    assert parsed == parse_task_ids("")
    assert parsed.ids == ()


def test_an_id_inside_a_longer_hex_string_is_not_taken():
    long_hex = A + "ff"
    parsed = parse_task_ids(long_hex)
    assert parsed.ids == ()
    assert parsed.rejected == (long_hex,)


def test_is_task_id_needs_exactly_24_hex_characters():
    assert is_task_id(A)
    assert is_task_id(A.upper())
    assert not is_task_id(A[:-1])
    assert not is_task_id(A + "0")
    assert not is_task_id(" " + A)
    assert not is_task_id("z" * 24)


def test_ids_glued_to_words_by_underscores_or_dashes_are_found():
    parsed = parse_task_ids(f"task_{A} {B}_result.mp4 id-{C}")
    assert parsed.ids == (A, B, C)
    assert parsed.rejected == ()


def test_dates_times_and_hashes_in_log_lines_are_not_rejected():
    md5, sha1 = "9e107d9d372bb6826bd81d3542a419d6", "2fd4e1c67a2d28fced849ee1bb76e7391b93eb12"
    log = f"2025-03-13 07:58:27,863 INFO task {A} done md5={md5} sha1={sha1} took 42.5s"
    parsed = parse_task_ids(log)
    assert parsed.ids == (A,)
    assert parsed.rejected == ()
