"""Assessment: what the data says, before any page is written.

``assessment`` rates each value against the target in force for its period (Red/Amber/Green,
with the site's tolerance and the measure's polarity), finds the direction of travel, and
counts the ratings by priority; ``history`` finds every indicator's position at each earlier
reporting period, for the reports by period and the feed. Nothing here formats text or knows
about pages: every figure a page states is computed here or from these results.
"""
