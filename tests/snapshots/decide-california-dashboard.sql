SELECT
  "t1"."sid",
  "t1"."level",
  "t1"."unit_id",
  "t1"."grade",
  "t1"."days_enrolled",
  "t1"."days_absent",
  "t1"."days_excused",
  "t1"."days_unexcused",
  "t1"."days_suspension",
  "t1"."wholly_absent",
  (
    "t1"."days_enrolled" >= 31
  )
  AND (
    (
      "t1"."days_enrolled" - "t1"."wholly_absent"
    ) >= 1
  ) AS "eligible",
  CASE
    WHEN (
      "t1"."days_enrolled" >= 31
    )
    AND (
      (
        "t1"."days_enrolled" - "t1"."wholly_absent"
      ) >= 1
    )
    THEN (
      "t1"."days_absent" * 10
    ) >= (
      "t1"."days_enrolled" * 1 * 1000000
    )
    ELSE CAST(NULL AS BOOLEAN)
  END AS "chronically_absent",
  CASE
    WHEN (
      "t1"."days_enrolled" >= 31
    )
    AND (
      (
        "t1"."days_enrolled" - "t1"."wholly_absent"
      ) >= 1
    )
    THEN CASE
      WHEN NOT (
        (
          "t1"."days_absent" * 20
        ) >= (
          "t1"."days_enrolled" * 1 * 1000000
        )
      )
      THEN 'satisfactory'
      WHEN NOT (
        (
          "t1"."days_absent" * 10
        ) >= (
          "t1"."days_enrolled" * 1 * 1000000
        )
      )
      THEN 'at_risk'
      WHEN NOT (
        (
          "t1"."days_absent" * 5
        ) >= (
          "t1"."days_enrolled" * 1 * 1000000
        )
      )
      THEN 'moderate'
      ELSE 'severe'
    END
    ELSE CAST(NULL AS TEXT)
  END AS "tier"
FROM (
  SELECT
    *
  FROM "student_level" AS "t0"
  WHERE
    "t0"."grade" IN ('1', '2', '3', '4', '5', '6', '7', '8', 'K', 'TK')
) AS "t1"
