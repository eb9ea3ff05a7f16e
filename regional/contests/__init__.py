"""Contests and recognition of the region (конкурсы «Наставник года», «Лучшая пара», нагрудный знак
«Почётный наставник»): public schema tables `regional.Contest`, `ContestJuror`, `Nomination`, `Score`.

- `services` — the only writers: the regional coordinator creates a contest, edits it in draft,
  appoints the jury and moves it forward (draft → nomination → judging → results); an organization
  nominates its own mentor (or pair) while the window is open; jurors score; a withdrawn publication
  consent hides the person's name in every nomination (`nominations_unpublish`).
- `selectors` — the read path with the access rules per level and role (`access_contest`).
- `results` — the arithmetic of the results (pure functions, documented there).
- `nominees` — what an organization may nominate, read in its own schema.
- `encouragement` — the organization's order of encouragement built from the published results
  (tenant schema of the organization).
- `access` — who may do what (roles per level); `forms` — the forms of the pages.

Only what a person consented to publish reaches these tables: the nominee's full name (required)
and position (only when the consent lists it); about a mentee nothing but their category label.
"""
