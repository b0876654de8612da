"""Sales targets (目标) per person, team or workspace, and their live progress."""
