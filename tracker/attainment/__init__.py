"""Attainment: whether each target is met, by how much, and what growth it still needs."""
