"""The assistant's built-in engine (docs/assistant.md): questions in Vietnamese answered from the
platform's own figures, with no model. `ask` is its one entry point and its one write (the log)."""
