SELECT
  "t0"."sid",
  "t0"."sch",
  "t0"."date",
  "t0"."precedence",
  CASE
    WHEN "t0"."is_absence"
    THEN CASE WHEN (
      "t0"."fraction" * 1
    ) >= 1000000 THEN 1000000 ELSE 0 END
    ELSE 0
  END AS "days_absent",
  CASE
    WHEN "t0"."status" = 'excused'
    THEN CASE
      WHEN "t0"."is_absence"
      THEN CASE WHEN (
        "t0"."fraction" * 1
      ) >= 1000000 THEN 1000000 ELSE 0 END
      ELSE 0
    END
    ELSE 0
  END AS "days_excused",
  CASE
    WHEN "t0"."status" = 'unexcused'
    THEN CASE
      WHEN "t0"."is_absence"
      THEN CASE WHEN (
        "t0"."fraction" * 1
      ) >= 1000000 THEN 1000000 ELSE 0 END
      ELSE 0
    END
    ELSE 0
  END AS "days_unexcused",
  CASE
    WHEN "t0"."status" = 'suspension'
    THEN CASE
      WHEN "t0"."is_absence"
      THEN CASE WHEN (
        "t0"."fraction" * 1
      ) >= 1000000 THEN 1000000 ELSE 0 END
      ELSE 0
    END
    ELSE 0
  END AS "days_suspension",
  CASE WHEN "t0"."is_absence" AND (
    "t0"."fraction" = 1000000
  ) THEN 1 ELSE 0 END AS "wholly_absent"
FROM "attendance" AS "t0"
