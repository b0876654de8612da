"""After-sales service: tickets, SLA policies and business calendars, routing, CSAT."""
