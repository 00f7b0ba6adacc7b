"""Keeping finished tasks' results before A2E's links expire: in a folder or on S3.

Plain Python shared by ``python -m a2e archive`` and the dashboard (its ZIP downloads and its
background archiving with ``A2E_ARCHIVE``); it never imports Streamlit. The pieces:

    layout        where each file goes (``<kind>/<task id>/result.mp4``…) and ``task.json``
    manifest      ``manifest.jsonl``: one line per task saved, the proof it was saved whole
    destination   a folder or ``s3://bucket/prefix`` (``folder``, ``s3``), files that appear
                  only when whole
    fetcher       one media link, fetched through the connect-time address guard, capped and
                  streamed; ``problems`` says why a file was not kept
    saver, run    one task, then many (a few downloads at once), with a report per task
    plan          which tasks a run is about (``--since``, ``--status``, the account's lists)
"""
