"""Assessment screens, split by who uses them: the unit, the reviewers, the council and secretariat."""
