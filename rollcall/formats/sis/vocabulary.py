"""How SIS exports commonly name their columns and write their codes: what
``rollcall inspect --suggest-mapping`` recognises when it writes a starting mapping file.

Only guesses live here. A guess is written into the mapping for the user to check; a code that
cannot be guessed is written as ``TODO`` and loading refuses it until the user decides.
"""

from __future__ import annotations

import re

from rollcall.grades import normalize_grade


def normalized(header: str) -> str:
    """A header reduced to lower-case letters and digits: ``Student_ID`` and ``student id`` are
    both ``studentid``."""
    return re.sub(r"[^a-z0-9]", "", header.lower())


# Canonical column → the spellings seen in exports (normalized), best first.
HEADERS: dict[str, tuple[str, ...]] = {
    "student_id": ("studentid", "stuid", "studentnumber", "studentno", "studentnum", "stunum",
                   "localid", "localstudentid", "studentlocalid", "sid", "pupilid", "studentkey",
                   "permnum", "permid", "studentidnumber", "id"),
    "school_id": ("schoolid", "schoolcode", "schcode", "schid", "schoolnumber", "schoolnum",
                  "schoolno", "schnum", "siteid", "sitecode", "buildingid", "buildingcode",
                  "locationid", "locationcode", "campusid", "campuscode", "school", "site"),
    "school_name": ("schoolname", "schname", "sitename", "buildingname", "campusname", "name"),
    "district_id": ("districtid", "districtcode", "distid", "distcode", "leaid", "leacode",
                    "district"),
    "district_name": ("districtname", "distname", "leaname"),
    "grade": ("grade", "gradelevel", "grd", "gradecode", "gradelvl", "gr", "currentgrade",
              "enrollgrade", "enrollmentgrade"),
    "entry_date": ("entrydate", "enrolldate", "enrollmentdate", "enrollmentstartdate",
                   "startdate", "enterdate", "admitdate", "admissiondate", "entrydt", "entry",
                   "datein"),
    "exit_date": ("exitdate", "withdrawaldate", "withdrawdate", "withdrawldate",
                  "enrollmentenddate", "leavedate", "leavingdate", "enddate", "exitdt", "exit",
                  "dateout"),
    "date": ("attdate", "attendancedate", "absencedate", "absdate", "attdt", "date",
             "calendardate", "schooldate", "instructionaldate", "eventdate", "day"),
    "status": ("absencecode", "attendancecode", "attcode", "abscode", "attendancestatus",
               "attendancetype", "absencetype", "absencereason", "reasoncode", "attmark",
               "mark", "status", "code", "attendance"),
    "absent_fraction": ("absentfraction", "dayfraction", "absentportion", "fractionabsent",
                        "fraction", "portion"),
}  # fmt: skip

# Student attributes (groups) → spellings seen in exports, normalized.
ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "gender": ("gender", "sex", "gendercode"),
    "race_ethnicity": ("raceethnicity", "ethnicity", "race", "federalrace", "ethnicityrace",
                       "racecode", "federalethnicity"),
    "english_learner": ("englishlearner", "ell", "el", "lep", "elstatus", "ellstatus",
                        "englishlanguagelearner", "elflag", "ellflag"),
    "disability": ("disability", "swd", "sped", "iep", "specialed", "specialeducation",
                   "studentwithdisability", "studentswithdisabilities", "spedflag"),
    "economically_disadvantaged": ("economicallydisadvantaged", "econdis", "econdisadv",
                                   "ecodis", "frl", "frpl", "frlstatus", "lowincome", "sed"),
    "foster": ("foster", "fostercare", "fosteryouth"),
    "homeless": ("homeless", "mckinneyvento", "homelessstatus"),
    "migrant": ("migrant", "migrantstatus"),
    "section_504": ("section504", "504", "plan504"),
}  # fmt: skip

# Columns that are about a person, never a group (their values never reach any output).
PERSONAL: tuple[str, ...] = ("firstname", "lastname", "middlename", "birthdate", "dob",
                             "dateofbirth", "fname", "lname", "name", "studentname",
                             "legalfirstname", "legallastname", "preferredname", "address",
                             "phone", "email")  # fmt: skip

# Attendance codes whose meaning is plain (upper case) → the canonical status.
STATUS_GUESSES: dict[str, str] = {
    **dict.fromkeys(("P", "PR", "PRE", "PRES", "PRESENT"), "present"),
    **dict.fromkeys(
        (
            "A",
            "AB",
            "ABS",
            "ABSENT",
            "U",
            "UA",
            "AU",
            "UX",
            "UNX",
            "UNEX",
            "UNEXC",
            "UNEXCUSED",
            "TRUANT",
            "TR",
        ),
        "unexcused",
    ),
    **dict.fromkeys(("E", "EA", "AE", "EX", "EXC", "EXCUSED", "ILL", "SICK", "MED"), "excused"),
    **dict.fromkeys(("S", "OSS", "SUS", "SUSP", "SUSPENDED", "SUSPENSION"), "suspension"),
    **dict.fromkeys(("ISS", "INSCHOOLSUSPENSION"), "in_school_suspension"),
    **dict.fromkeys(("T", "TA", "TU", "TE", "TAR", "TARDY", "LATE"), "tardy"),
    **dict.fromkeys(("ED", "LE", "EARLY", "EARLYDEPARTURE", "EARLYDISMISSAL"), "early_departure"),
}

# Grade spellings beyond the canonical ones (docs/format.md), upper case.
GRADE_GUESSES: dict[str, str] = {
    **dict.fromkeys(
        ("PS", "P3", "P4", "PK3", "PK4", "PRE", "PREK", "PREK3", "PREK4", "PKF", "PKH", "-1", "-2"),
        "PK",
    ),
    **dict.fromkeys(("KF", "KH", "KA", "KP", "K5", "KINDERGARTEN"), "K"),
    **dict.fromkeys(("UN", "UNG", "NG", "UNGRADED"), "UG"),
    **dict.fromkeys(("T", "TRANSITIONALK", "TRANSITIONALKINDERGARTEN"), "TK"),
}
# GR01, G1, GRADE 1, 1ST: a grade number with a word around it.
_NUMBERED_GRADE = re.compile(
    r"^(?:GRADE\s*|GR\s*|G)0?(\d{1,2})(?:ST|ND|RD|TH)?$|^0?(\d{1,2})(?:ST|ND|RD|TH)$"
)

# Date layouts tried on a date column's values, most usual first (``%m/%d/%Y`` before
# ``%d/%m/%Y``: the dates of a US export fit both when every day is 12 or less).
DATE_FORMATS = (
    "%Y-%m-%d",
    "%m/%d/%Y",
    "%m/%d/%y",
    "%m-%d-%Y",
    "%Y%m%d",
    "%Y/%m/%d",
    "%d/%m/%Y",
    "%d.%m.%Y",
    "%d-%m-%Y",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %I:%M %p",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
)


def guess_status(code: str) -> str | None:
    return STATUS_GUESSES.get(normalized(code).upper()) if code else None


def guess_grade(code: str) -> str | None:
    """The canonical grade for a grade code when it can be told; None otherwise."""
    text = code.strip().upper()
    if normalize_grade(text) is not None:
        return normalize_grade(text)
    if text in GRADE_GUESSES or normalized(text).upper() in GRADE_GUESSES:
        return GRADE_GUESSES.get(text) or GRADE_GUESSES[normalized(text).upper()]
    match = _NUMBERED_GRADE.match(text)
    if match:
        number = int(match.group(1) or match.group(2))
        return str(number) if 1 <= number <= 12 else None
    return None


def match_column(headers: tuple[str, ...], spellings: tuple[str, ...]) -> str | None:
    """The header that best matches one of ``spellings`` (earlier spellings first)."""
    by_name = {normalized(h): h for h in reversed(headers)}
    for spelling in spellings:
        if spelling in by_name:
            return by_name[spelling]
    return None
