"""Public pools (公海): claim, release, assign, holding caps and automatic reclaim."""
