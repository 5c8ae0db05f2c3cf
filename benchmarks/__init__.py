"""Benchmarks, run by hand or in CI with generous bounds; figures go into the README."""
