"""Commission (提成): plans and per-rep statements traceable to each payment."""
