"""Periodic reports (日报 / 周报 / 月报) per rep and per team."""
