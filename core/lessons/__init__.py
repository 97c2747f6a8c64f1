"""Lessons: short guided sequences of steps, written as Markdown files (docs/LESSONS.md).

lesson.py reads a file, check.py checks it against the app's names (vocabulary.py), library.py
finds the shipped and the user's lessons, progress.py remembers where a learner is, and
verdict.py judges an answer against the run's measured numbers (expressions.py).
"""
