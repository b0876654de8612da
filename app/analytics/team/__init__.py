"""Team analytics: leaderboards and follow-up statistics per rep."""
