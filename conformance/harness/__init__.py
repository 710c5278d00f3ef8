"""What checks run in: the check environment and its parts (sender, guard, resources, failures,
once-per-run results), the check registry and runner, and the requests a check sends."""
