"""Benchmarks of Article Archive: corpus generator, baseline and figures (not tests)."""
