"""What a change does to the published site: ``perfpages diff`` and ``import --dry-run``.

``compare`` loads two versions of a site (folders or git revisions, through ``revisions``)
with the lenient loader and compares them as data: indicators added, removed or renamed, values,
targets, ratings and directions at the reporting period, commentary, summary and warnings;
``words`` compares text word by word; ``markdown`` writes the comparison for a pull-request
comment (JSON comes from ``compare``).
"""
