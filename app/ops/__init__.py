"""Operations: health, readiness, metrics, and the platform's housekeeping jobs."""
