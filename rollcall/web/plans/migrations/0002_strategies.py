"""The shared catalogue of strategies: the tiered practices of Attendance Works and the
Attendance Playbook (FutureEd and Attendance Works), in their language: support, not blame.
A district adds its own in the admin."""

from django.db import migrations

STRATEGIES = [
    # Tier 1: for every student and family, to prevent absence.
    (1, "Positive relationship with every family",
     "Greet every student and family by name, and reach out early with good news, not only "
     "with concerns, so that families know the school wants their child there."),
    (1, "Attendance awareness nudges and letters to families",
     "Friendly, plain-language messages showing the days a child has missed and how a few days "
     "a month add up, with an offer of help (the Playbook's nudges)."),
    (1, "Recognise good and improved attendance",
     "Celebrate students and classes for showing up and for improving, not only for perfect "
     "attendance, which can discourage those who were ill."),
    (1, "Engaging school climate",
     "A safe, welcoming and engaging school where students feel they belong: relationships, "
     "clubs, enrichment, restorative practices."),
    (1, "Clear messages on why attendance matters",
     "Explain to families from the first day how absences, excused or not, add up to lost "
     "learning, in their language and at every opportunity."),
    (1, "Healthy school practices",
     "School nurse, hand-washing, vision, dental and asthma screenings, school breakfast: "
     "keeping students well enough to come."),
    (1, "Early personal outreach after an absence",
     "A call or message home on the first days missed, asking how the student is and what "
     "would help, before absences build up."),
    # Tier 2: early, personalised outreach for students at risk or moderately chronically absent.
    (2, "Attendance mentor / check-in check-out",
     "A caring adult who greets the student each morning and checks in at the end of the day "
     "or week (success mentors), celebrating progress and noticing problems early."),
    (2, "Family conference to identify barriers",
     "Meet the family, listen, and work out together what keeps the student from school and "
     "what the school and family will each do (a student attendance success plan)."),
    (2, "Address transportation",
     "Bus passes, a walking school bus, carpools or a changed route: remove the barrier of "
     "getting to school."),
    (2, "Connect to health services",
     "Link the student to the school nurse, a school-based health centre, or care for asthma, "
     "dental, vision or mental health needs."),
    (2, "Home visit, with the family's agreement",
     "Visit the family at home to build the relationship and understand their situation."),
    (2, "Engaging after-school and summer programmes",
     "Connect the student to activities that make school a place they want to be, and to "
     "peers and adults there."),
    (2, "Academic support for missed learning",
     "Tutoring or small-group help so that catching up does not make returning harder."),
    # Tier 3: intensive support for the students missing the most, often with other agencies.
    (3, "Case management with community agencies",
     "One case manager coordinating the school's and community agencies' support for the "
     "student and family."),
    (3, "Wraparound services",
     "A team around the family (school, health, social services, community partners) meeting "
     "regularly on one plan for the whole family's needs."),
    (3, "Connect the family to housing, food and income supports",
     "Referrals and warm hand-offs to the services that address the barriers behind the "
     "absences (McKinney-Vento liaison for students without stable housing)."),
    (3, "Re-entry plan after a long absence",
     "A plan to welcome the student back after an illness, a hospital stay or a long absence: "
     "a reduced timetable if needed, a named adult, help with missed work."),
    (3, "Mental health support",
     "Counselling or therapy at school or with a community provider, for anxiety, depression "
     "or trauma that keeps the student away."),
]  # fmt: skip


def seed(apps, schema_editor):
    Strategy = apps.get_model("plans", "Strategy")
    for tier, name, description in STRATEGIES:
        Strategy.objects.get_or_create(
            name=name, district=None, defaults={"tier": tier, "description": description}
        )


def unseed(apps, schema_editor):
    Strategy = apps.get_model("plans", "Strategy")
    Strategy.objects.filter(district=None, name__in=[s[1] for s in STRATEGIES]).delete()


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
