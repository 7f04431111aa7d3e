"""The platform (docs/platform.md): a Django application where school teams, districts, partners
and network coaches act on the engine's numbers.

It calls the library (``rollcall.api``) and stores what it returns as dated snapshots; the library
never imports Django. One app per domain noun: ``people`` (organisations, people and their
roles), ``snapshots`` (students and the engine's results, by date), ``audit`` (the append-only
record of every read of a student and every export and change), ``front`` (the pages). Who may
see what is decided in one module, ``scope``.
"""
