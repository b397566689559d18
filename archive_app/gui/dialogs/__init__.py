"""Dialogs: import report, export options, about."""
