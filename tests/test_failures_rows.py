"""The Failures page's grouped table: rows tall enough for each code's messages."""

import pandas as pd

from a2e.ui.failures import MAX_GROUP_ROW_HEIGHT, _messages_row_height
from a2e.ui.table import WRAPPING_ROW_HEIGHT


def test_failure_group_rows_grow_to_show_the_longest_message_whole_within_a_bound():
    assert _messages_row_height(pd.Series(["short"])) == WRAPPING_ROW_HEIGHT
    three_lines, four_lines = "x" * 95, "x" * 130
    assert _messages_row_height(pd.Series(["short", four_lines])) > _messages_row_height(
        pd.Series([three_lines])
    )
    assert _messages_row_height(pd.Series([three_lines])) > WRAPPING_ROW_HEIGHT
    assert _messages_row_height(pd.Series(["x" * 5000])) == MAX_GROUP_ROW_HEIGHT
