"""The teams pages: the teams with their alignment, and a team's workspace."""
