"""Orders from shops and ERPs, matched to customers for RFM."""
