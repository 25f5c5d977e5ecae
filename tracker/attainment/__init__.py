"""Attainment: whether each target is met, by how much, and what growth it still needs.

`rules` states the rules in plain Python; `services` keeps the stored evaluations current;
`selectors` reads them (or evaluates live for another day or other rules); `api`, `views`
and `exports` show them.
"""
