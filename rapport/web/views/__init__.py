"""The web application's views, one module per page family."""
