"""Simplified Chinese (简体中文): one module per part of the grader, each with ``MESSAGES``.

``common.py`` holds the grader's own messages (engine, grading helpers, reports, command
line); ``<assignment>.py`` holds that assignment's check names, hints and messages.
"""
