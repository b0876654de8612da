"""Customer value: RFM scores and tiers, Pareto, churn risk, cohorts, revenue."""
