"""Best practices (кейсы): written by an organization from a completed program, vetted upward, published.

The package replaces a single `regional/practices.py`:

- `source`    — runs in the ORGANIZATION's schema: its completed programs and what a case may take from
                them (never the mentee's name, request, difficulties or reports);
- `services`  — the write path (public schema rows; `case_start` reads the organization's schema first);
- `selectors` — the read path: the regional bank with Russian full-text search, the organization's own
                cases, the review queues;
- `access`    — who may see and do what (`access_case`), the one place for these checks.

Lifecycle: draft → municipal_review (skipped for organizations of regional subordination) →
regional_review → published; either level may return the case (→ returned, with a comment) or
reject it. A returned case goes back, when resubmitted, to the level that returned it: the
municipality has already approved a case the region returns, so it is not asked twice.
"""
