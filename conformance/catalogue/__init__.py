"""The behaviour catalogue: every documented error and effect as data, and the one interpreter
that runs its scenarios."""
