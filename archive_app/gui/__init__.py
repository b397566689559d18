"""The Qt widgets user interface."""
