"""Organisations (network, district, school), caseloads of students, and people's roles."""
