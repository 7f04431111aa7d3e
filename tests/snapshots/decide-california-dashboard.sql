SELECT
  "t0"."sid",
  "t0"."level",
  "t0"."unit_id",
  "t0"."grade",
  "t0"."days_enrolled",
  "t0"."days_absent",
  "t0"."days_excused",
  "t0"."days_unexcused",
  "t0"."days_suspension",
  "t0"."wholly_absent",
  (
    "t0"."days_enrolled" >= 31
  )
  AND (
    (
      "t0"."days_enrolled" - "t0"."wholly_absent"
    ) >= 1
  ) AS "eligible",
  CASE
    WHEN (
      "t0"."days_enrolled" >= 31
    )
    AND (
      (
        "t0"."days_enrolled" - "t0"."wholly_absent"
      ) >= 1
    )
    THEN (
      "t0"."days_absent" * 10
    ) >= (
      "t0"."days_enrolled" * 1 * 1000000
    )
    ELSE CAST(NULL AS BOOLEAN)
  END AS "chronically_absent",
  CASE
    WHEN (
      "t0"."days_enrolled" >= 31
    )
    AND (
      (
        "t0"."days_enrolled" - "t0"."wholly_absent"
      ) >= 1
    )
    THEN CASE
      WHEN NOT (
        (
          "t0"."days_absent" * 20
        ) >= (
          "t0"."days_enrolled" * 1 * 1000000
        )
      )
      THEN 'satisfactory'
      WHEN NOT (
        (
          "t0"."days_absent" * 10
        ) >= (
          "t0"."days_enrolled" * 1 * 1000000
        )
      )
      THEN 'at_risk'
      WHEN NOT (
        (
          "t0"."days_absent" * 5
        ) >= (
          "t0"."days_enrolled" * 1 * 1000000
        )
      )
      THEN 'moderate'
      ELSE 'severe'
    END
    ELSE CAST(NULL AS TEXT)
  END AS "tier"
FROM "student_level" AS "t0"
WHERE
  "t0"."grade" IN ('1', '2', '3', '4', '5', '6', '7', '8', 'K', 'TK')
