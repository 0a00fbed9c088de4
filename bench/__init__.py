"""Benchmarks and quality measurements, run by hand or by `make bench` / `make quality`."""
