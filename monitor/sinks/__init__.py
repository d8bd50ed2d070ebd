"""Headless sinks of the pipeline: the watch writer (stdout, exec hook) and the exports."""
