"""Reliability suites: what users do to a run that nobody plans for, measured."""
