"""Authentication (sessions, API keys) and the authorization dependencies routers use."""
