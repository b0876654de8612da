"""Users, teams (the team tree) and roles."""
