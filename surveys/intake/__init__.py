"""The survey intake, the platform's busiest path, kept fast and measured (README.md beside this file)."""
