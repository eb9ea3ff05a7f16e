"""Browser tests: Chromium driven by Playwright through the running platform (`make e2e`)."""
