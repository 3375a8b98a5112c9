"""The law engine: law packs as data, evaluated over a case's timeline.

``engine.evaluate(case, at)`` answers one case at one date, with explanations;
``batch`` answers "the state at a date" for many cases at once. The engine takes the
evaluation date as input and never reads the clock.
"""
