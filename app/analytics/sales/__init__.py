"""Pipeline analytics: funnel, forecast, coverage, stale deals, lost reasons, campaign ROI
and sales-cycle length."""
