"""Headless sinks of the pipeline: the watch writer (stdout lines, exec hook) and the exports."""
