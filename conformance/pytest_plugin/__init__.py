"""The suite's pytest face: the plug-in and its options, the session that opens the target, the
cases it collects, and the run record it builds at the end."""
