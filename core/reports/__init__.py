"""Reports of a recorded run for people who were not there: one self-contained HTML page."""
