"""The app's pages, one module per page (or group of forms that post to it)."""
