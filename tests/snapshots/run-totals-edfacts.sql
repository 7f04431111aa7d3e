-- checks.kept
WITH "t1" AS (
  SELECT
    "t0"."_record",
    "t0"."school_id",
    "t0"."_file",
    "t0"."_line",
    'district' AS "district_id",
    NOT (
      (
        "t0"."school_id" IS NULL
      )
      OR (
        "t0"."school_id" = ''
      )
      OR (
        (
          'district' IS NULL
        ) OR (
          'district' = ''
        )
      )
    ) AS "_ok"
  FROM "raw_schools" AS "t0"
), "t4" AS (
  SELECT
    *
  FROM "t1" AS "t2"
  WHERE
    "t2"."_ok"
)
SELECT
  "t15"."_record",
  "t15"."school_id",
  "t15"."_file",
  "t15"."_line",
  "t15"."district_id",
  CASE
    WHEN (
      "t15"."school_id" IS NULL
    ) OR (
      "t15"."school_id" = ''
    )
    THEN 1
    WHEN (
      "t15"."district_id" IS NULL
    ) OR (
      "t15"."district_id" = ''
    )
    THEN 2
    WHEN "t15"."_dup"
    THEN 3
    ELSE 0
  END AS "_failed"
FROM (
  SELECT
    "t14".*
    EXCLUDE ("_ok")
  FROM (
    SELECT
      "t3"."_record",
      "t3"."school_id",
      "t3"."_file",
      "t3"."_line",
      "t3"."district_id",
      "t3"."_ok",
      "t13"."_later_record" IS NOT NULL AS "_dup"
    FROM "t1" AS "t3"
    LEFT OUTER JOIN (
      SELECT
        "t11"."_record" AS "_later_record"
      FROM (
        SELECT
          "t10"."_record",
          "t10"."school_id",
          "t10"."_file",
          "t10"."_line",
          "t10"."district_id",
          "t10"."_ok",
          ROW_NUMBER() OVER (
            PARTITION BY "t10"."school_id"
            ORDER BY "t10"."_record" ASC
            ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
          ) - 1 AS "_rank"
        FROM (
          SELECT
            "t6"."_record",
            "t6"."school_id",
            "t6"."_file",
            "t6"."_line",
            "t6"."district_id",
            "t6"."_ok"
          FROM "t4" AS "t6"
          SEMI JOIN (
            SELECT
              *
            FROM (
              SELECT
                "t5"."school_id",
                COUNT(*) AS "_rows"
              FROM "t4" AS "t5"
              GROUP BY
                1
            ) AS "t7"
            WHERE
              "t7"."_rows" > 1
          ) AS "t9"
            ON "t6"."school_id" = "t9"."school_id"
        ) AS "t10"
      ) AS "t11"
      WHERE
        "t11"."_rank" > 0
    ) AS "t13"
      ON "t3"."_record" = "t13"."_later_record"
  ) AS "t14"
) AS "t15"

-- stages.schools_and_students
SELECT
  "t2"."_record",
  "t2"."school_id",
  "t2"."_file",
  "t2"."_line",
  "t2"."district_id",
  "t2"."_record" AS "sch"
FROM (
  SELECT
    "t1".*
    EXCLUDE ("_failed")
  FROM (
    SELECT
      *
    FROM "t0" AS "t0"
    WHERE
      "t0"."_failed" = 0
  ) AS "t1"
) AS "t2"

-- checks.kept
WITH "t2" AS (
  SELECT
    "t0"."_record",
    "t0"."student_id",
    "t0"."_file",
    "t0"."_line",
    NOT (
      (
        "t0"."student_id" IS NULL
      ) OR (
        "t0"."student_id" = ''
      )
    ) AS "_ok"
  FROM "raw_students" AS "t0"
  WHERE
    NOT (
      (
        "t0"."student_id" IS NULL
      ) OR (
        "t0"."student_id" = ''
      )
    )
)
SELECT
  "t14"."_record",
  "t14"."student_id",
  "t14"."_file",
  "t14"."_line",
  CASE
    WHEN (
      "t14"."student_id" IS NULL
    ) OR (
      "t14"."student_id" = ''
    )
    THEN 1
    WHEN "t14"."_dup"
    THEN 2
    ELSE 0
  END AS "_failed"
FROM (
  SELECT
    "t13".*
    EXCLUDE ("_ok")
  FROM (
    SELECT
      "t3"."_record",
      "t3"."student_id",
      "t3"."_file",
      "t3"."_line",
      "t3"."_ok",
      "t12"."_later_record" IS NOT NULL AS "_dup"
    FROM (
      SELECT
        "t0"."_record",
        "t0"."student_id",
        "t0"."_file",
        "t0"."_line",
        NOT (
          (
            "t0"."student_id" IS NULL
          ) OR (
            "t0"."student_id" = ''
          )
        ) AS "_ok"
      FROM "raw_students" AS "t0"
    ) AS "t3"
    LEFT OUTER JOIN (
      SELECT
        "t10"."_record" AS "_later_record"
      FROM (
        SELECT
          "t9"."_record",
          "t9"."student_id",
          "t9"."_file",
          "t9"."_line",
          "t9"."_ok",
          ROW_NUMBER() OVER (
            PARTITION BY "t9"."student_id"
            ORDER BY "t9"."_record" ASC
            ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
          ) - 1 AS "_rank"
        FROM (
          SELECT
            "t5"."_record",
            "t5"."student_id",
            "t5"."_file",
            "t5"."_line",
            "t5"."_ok"
          FROM "t2" AS "t5"
          SEMI JOIN (
            SELECT
              *
            FROM (
              SELECT
                "t4"."student_id",
                COUNT(*) AS "_rows"
              FROM "t2" AS "t4"
              GROUP BY
                1
            ) AS "t6"
            WHERE
              "t6"."_rows" > 1
          ) AS "t8"
            ON "t5"."student_id" = "t8"."student_id"
        ) AS "t9"
      ) AS "t10"
      WHERE
        "t10"."_rank" > 0
    ) AS "t12"
      ON "t3"."_record" = "t12"."_later_record"
  ) AS "t13"
) AS "t14"

-- stages.schools_and_students
SELECT
  "t2"."_record",
  "t2"."student_id",
  "t2"."_file",
  "t2"."_line",
  "t2"."_record" AS "sid"
FROM (
  SELECT
    "t1".*
    EXCLUDE ("_failed")
  FROM (
    SELECT
      *
    FROM "t1" AS "t0"
    WHERE
      "t0"."_failed" = 0
  ) AS "t1"
) AS "t2"

-- checks.kept
SELECT
  "t18"."_record",
  "t18"."sid",
  "t18"."sch",
  "t18"."grade_code",
  "t18"."_school_year",
  "t18"."_enrolled",
  "t18"."_absent",
  "t18"."_n_days_excused",
  "t18"."_n_days_unexcused",
  "t18"."_n_days_suspension",
  CASE
    WHEN (
      "t18"."student_id" IS NULL
    ) OR (
      "t18"."student_id" = ''
    )
    THEN 1
    WHEN (
      "t18"."school_id" IS NULL
    ) OR (
      "t18"."school_id" = ''
    )
    THEN 2
    WHEN "t18"."sid" IS NULL
    THEN 3
    WHEN "t18"."sch" IS NULL
    THEN 4
    WHEN (
      "t18"."grade" IS NULL
    ) OR (
      "t18"."grade" = ''
    )
    THEN 5
    WHEN "t18"."_grade" IS NULL
    THEN 6
    WHEN NOT (
      (
        "t18"."days_enrolled" IS NOT NULL
      ) AND (
        "t18"."days_enrolled" <> ''
      )
    )
    AND NOT (
      (
        "t18"."days_present" IS NOT NULL
      ) AND (
        "t18"."days_present" <> ''
      )
    )
    THEN 7
    WHEN (
      "t18"."days_enrolled" IS NOT NULL
    )
    AND (
      "t18"."days_enrolled" <> ''
    )
    AND (
      "t18"."_n_days_enrolled" IS NULL
    )
    THEN 8
    WHEN (
      "t18"."days_absent_other" IS NOT NULL
    )
    AND (
      "t18"."days_absent_other" <> ''
    )
    AND (
      "t18"."_n_days_absent_other" IS NULL
    )
    THEN 9
    WHEN (
      "t18"."days_enrolled" IS NOT NULL
    )
    AND (
      "t18"."days_enrolled" <> ''
    )
    AND (
      (
        COALESCE("t18"."_n_days_enrolled", 0) % 1000000
      ) <> 0
    )
    THEN 10
    WHEN (
      "t18"."days_absent" IS NOT NULL
    )
    AND (
      "t18"."days_absent" <> ''
    )
    AND (
      (
        "t18"."_absent" - "t18"."_n_days_absent"
      ) <> 0
    )
    THEN 11
    WHEN (
      "t18"."days_enrolled" IS NOT NULL
    )
    AND (
      "t18"."days_enrolled" <> ''
    )
    AND (
      (
        "t18"."days_present" IS NOT NULL
      ) AND (
        "t18"."days_present" <> ''
      )
    )
    AND (
      (
        (
          "t18"."_present" + "t18"."_absent"
        ) - "t18"."_n_days_enrolled"
      ) <> 0
    )
    THEN 12
    WHEN "t18"."_absent" > "t18"."_enrolled"
    THEN 13
    WHEN NOT (
      (
        "t18"."days_enrolled" IS NOT NULL
      ) AND (
        "t18"."days_enrolled" <> ''
      )
    )
    AND (
      (
        "t18"."_enrolled" % 1000000
      ) <> 0
    )
    THEN 14
    ELSE 0
  END AS "_failed",
  CASE
    WHEN CASE
      WHEN (
        "t18"."student_id" IS NULL
      ) OR (
        "t18"."student_id" = ''
      )
      THEN 1
      WHEN (
        "t18"."school_id" IS NULL
      ) OR (
        "t18"."school_id" = ''
      )
      THEN 2
      WHEN "t18"."sid" IS NULL
      THEN 3
      WHEN "t18"."sch" IS NULL
      THEN 4
      WHEN (
        "t18"."grade" IS NULL
      ) OR (
        "t18"."grade" = ''
      )
      THEN 5
      WHEN "t18"."_grade" IS NULL
      THEN 6
      WHEN NOT (
        (
          "t18"."days_enrolled" IS NOT NULL
        ) AND (
          "t18"."days_enrolled" <> ''
        )
      )
      AND NOT (
        (
          "t18"."days_present" IS NOT NULL
        ) AND (
          "t18"."days_present" <> ''
        )
      )
      THEN 7
      WHEN (
        "t18"."days_enrolled" IS NOT NULL
      )
      AND (
        "t18"."days_enrolled" <> ''
      )
      AND (
        "t18"."_n_days_enrolled" IS NULL
      )
      THEN 8
      WHEN (
        "t18"."days_absent_other" IS NOT NULL
      )
      AND (
        "t18"."days_absent_other" <> ''
      )
      AND (
        "t18"."_n_days_absent_other" IS NULL
      )
      THEN 9
      WHEN (
        "t18"."days_enrolled" IS NOT NULL
      )
      AND (
        "t18"."days_enrolled" <> ''
      )
      AND (
        (
          COALESCE("t18"."_n_days_enrolled", 0) % 1000000
        ) <> 0
      )
      THEN 10
      WHEN (
        "t18"."days_absent" IS NOT NULL
      )
      AND (
        "t18"."days_absent" <> ''
      )
      AND (
        (
          "t18"."_absent" - "t18"."_n_days_absent"
        ) <> 0
      )
      THEN 11
      WHEN (
        "t18"."days_enrolled" IS NOT NULL
      )
      AND (
        "t18"."days_enrolled" <> ''
      )
      AND (
        (
          "t18"."days_present" IS NOT NULL
        ) AND (
          "t18"."days_present" <> ''
        )
      )
      AND (
        (
          (
            "t18"."_present" + "t18"."_absent"
          ) - "t18"."_n_days_enrolled"
        ) <> 0
      )
      THEN 12
      WHEN "t18"."_absent" > "t18"."_enrolled"
      THEN 13
      WHEN NOT (
        (
          "t18"."days_enrolled" IS NOT NULL
        ) AND (
          "t18"."days_enrolled" <> ''
        )
      )
      AND (
        (
          "t18"."_enrolled" % 1000000
        ) <> 0
      )
      THEN 14
      ELSE 0
    END = 11
    THEN 'absences by kind add up to ' || CASE
      WHEN (
        "t18"."_absent" % 1000000
      ) = 0
      THEN CAST(CAST(FLOOR((
        "t18"."_absent"
      ) / (
        1000000
      )) AS BIGINT) AS TEXT)
      ELSE CAST(CAST(FLOOR((
        "t18"."_absent"
      ) / (
        1000000
      )) AS BIGINT) AS TEXT) || '.' || REGEXP_REPLACE(
        CASE
          WHEN 6 <= LENGTH(CAST("t18"."_absent" % 1000000 AS TEXT))
          THEN CAST("t18"."_absent" % 1000000 AS TEXT)
          ELSE REPEAT('0', 6 - LENGTH(CAST("t18"."_absent" % 1000000 AS TEXT))) || CAST("t18"."_absent" % 1000000 AS TEXT)
        END,
        '0+$',
        '',
        'g'
      )
    END || ', not ' || CASE
      WHEN (
        "t18"."_n_days_absent" % 1000000
      ) = 0
      THEN CAST(CAST(FLOOR((
        "t18"."_n_days_absent"
      ) / (
        1000000
      )) AS BIGINT) AS TEXT)
      ELSE CAST(CAST(FLOOR((
        "t18"."_n_days_absent"
      ) / (
        1000000
      )) AS BIGINT) AS TEXT) || '.' || REGEXP_REPLACE(
        CASE
          WHEN 6 <= LENGTH(CAST("t18"."_n_days_absent" % 1000000 AS TEXT))
          THEN CAST("t18"."_n_days_absent" % 1000000 AS TEXT)
          ELSE REPEAT('0', 6 - LENGTH(CAST("t18"."_n_days_absent" % 1000000 AS TEXT))) || CAST("t18"."_n_days_absent" % 1000000 AS TEXT)
        END,
        '0+$',
        '',
        'g'
      )
    END || ' (' || CASE
      WHEN (
        ABS("t18"."_absent" - "t18"."_n_days_absent") % 1000000
      ) = 0
      THEN CAST(CAST(FLOOR((
        ABS("t18"."_absent" - "t18"."_n_days_absent")
      ) / (
        1000000
      )) AS BIGINT) AS TEXT)
      ELSE CAST(CAST(FLOOR((
        ABS("t18"."_absent" - "t18"."_n_days_absent")
      ) / (
        1000000
      )) AS BIGINT) AS TEXT) || '.' || REGEXP_REPLACE(
        CASE
          WHEN 6 <= LENGTH(CAST(ABS("t18"."_absent" - "t18"."_n_days_absent") % 1000000 AS TEXT))
          THEN CAST(ABS("t18"."_absent" - "t18"."_n_days_absent") % 1000000 AS TEXT)
          ELSE REPEAT(
            '0',
            6 - LENGTH(CAST(ABS("t18"."_absent" - "t18"."_n_days_absent") % 1000000 AS TEXT))
          ) || CAST(ABS("t18"."_absent" - "t18"."_n_days_absent") % 1000000 AS TEXT)
        END,
        '0+$',
        '',
        'g'
      )
    END || CASE
      WHEN ABS("t18"."_absent" - "t18"."_n_days_absent") = 1000000
      THEN ' day'
      ELSE ' days'
    END || CASE
      WHEN (
        "t18"."_absent" - "t18"."_n_days_absent"
      ) < 0
      THEN ' short'
      ELSE ' over'
    END || ')'
    ELSE CAST(NULL AS TEXT)
  END AS "_value_11",
  CASE
    WHEN CASE
      WHEN (
        "t18"."student_id" IS NULL
      ) OR (
        "t18"."student_id" = ''
      )
      THEN 1
      WHEN (
        "t18"."school_id" IS NULL
      ) OR (
        "t18"."school_id" = ''
      )
      THEN 2
      WHEN "t18"."sid" IS NULL
      THEN 3
      WHEN "t18"."sch" IS NULL
      THEN 4
      WHEN (
        "t18"."grade" IS NULL
      ) OR (
        "t18"."grade" = ''
      )
      THEN 5
      WHEN "t18"."_grade" IS NULL
      THEN 6
      WHEN NOT (
        (
          "t18"."days_enrolled" IS NOT NULL
        ) AND (
          "t18"."days_enrolled" <> ''
        )
      )
      AND NOT (
        (
          "t18"."days_present" IS NOT NULL
        ) AND (
          "t18"."days_present" <> ''
        )
      )
      THEN 7
      WHEN (
        "t18"."days_enrolled" IS NOT NULL
      )
      AND (
        "t18"."days_enrolled" <> ''
      )
      AND (
        "t18"."_n_days_enrolled" IS NULL
      )
      THEN 8
      WHEN (
        "t18"."days_absent_other" IS NOT NULL
      )
      AND (
        "t18"."days_absent_other" <> ''
      )
      AND (
        "t18"."_n_days_absent_other" IS NULL
      )
      THEN 9
      WHEN (
        "t18"."days_enrolled" IS NOT NULL
      )
      AND (
        "t18"."days_enrolled" <> ''
      )
      AND (
        (
          COALESCE("t18"."_n_days_enrolled", 0) % 1000000
        ) <> 0
      )
      THEN 10
      WHEN (
        "t18"."days_absent" IS NOT NULL
      )
      AND (
        "t18"."days_absent" <> ''
      )
      AND (
        (
          "t18"."_absent" - "t18"."_n_days_absent"
        ) <> 0
      )
      THEN 11
      WHEN (
        "t18"."days_enrolled" IS NOT NULL
      )
      AND (
        "t18"."days_enrolled" <> ''
      )
      AND (
        (
          "t18"."days_present" IS NOT NULL
        ) AND (
          "t18"."days_present" <> ''
        )
      )
      AND (
        (
          (
            "t18"."_present" + "t18"."_absent"
          ) - "t18"."_n_days_enrolled"
        ) <> 0
      )
      THEN 12
      WHEN "t18"."_absent" > "t18"."_enrolled"
      THEN 13
      WHEN NOT (
        (
          "t18"."days_enrolled" IS NOT NULL
        ) AND (
          "t18"."days_enrolled" <> ''
        )
      )
      AND (
        (
          "t18"."_enrolled" % 1000000
        ) <> 0
      )
      THEN 14
      ELSE 0
    END = 12
    THEN 'parts add up to ' || CASE
      WHEN (
        (
          "t18"."_present" + "t18"."_absent"
        ) % 1000000
      ) = 0
      THEN CAST(CAST(FLOOR((
        "t18"."_present" + "t18"."_absent"
      ) / (
        1000000
      )) AS BIGINT) AS TEXT)
      ELSE CAST(CAST(FLOOR((
        "t18"."_present" + "t18"."_absent"
      ) / (
        1000000
      )) AS BIGINT) AS TEXT) || '.' || REGEXP_REPLACE(
        CASE
          WHEN 6 <= LENGTH(CAST((
            "t18"."_present" + "t18"."_absent"
          ) % 1000000 AS TEXT))
          THEN CAST((
            "t18"."_present" + "t18"."_absent"
          ) % 1000000 AS TEXT)
          ELSE REPEAT('0', 6 - LENGTH(CAST((
            "t18"."_present" + "t18"."_absent"
          ) % 1000000 AS TEXT))) || CAST((
            "t18"."_present" + "t18"."_absent"
          ) % 1000000 AS TEXT)
        END,
        '0+$',
        '',
        'g'
      )
    END || ', not ' || CASE
      WHEN (
        "t18"."_n_days_enrolled" % 1000000
      ) = 0
      THEN CAST(CAST(FLOOR((
        "t18"."_n_days_enrolled"
      ) / (
        1000000
      )) AS BIGINT) AS TEXT)
      ELSE CAST(CAST(FLOOR((
        "t18"."_n_days_enrolled"
      ) / (
        1000000
      )) AS BIGINT) AS TEXT) || '.' || REGEXP_REPLACE(
        CASE
          WHEN 6 <= LENGTH(CAST("t18"."_n_days_enrolled" % 1000000 AS TEXT))
          THEN CAST("t18"."_n_days_enrolled" % 1000000 AS TEXT)
          ELSE REPEAT('0', 6 - LENGTH(CAST("t18"."_n_days_enrolled" % 1000000 AS TEXT))) || CAST("t18"."_n_days_enrolled" % 1000000 AS TEXT)
        END,
        '0+$',
        '',
        'g'
      )
    END || ' (' || CASE
      WHEN (
        ABS((
          "t18"."_present" + "t18"."_absent"
        ) - "t18"."_n_days_enrolled") % 1000000
      ) = 0
      THEN CAST(CAST(FLOOR(
        (
          ABS((
            "t18"."_present" + "t18"."_absent"
          ) - "t18"."_n_days_enrolled")
        ) / (
          1000000
        )
      ) AS BIGINT) AS TEXT)
      ELSE CAST(CAST(FLOOR(
        (
          ABS((
            "t18"."_present" + "t18"."_absent"
          ) - "t18"."_n_days_enrolled")
        ) / (
          1000000
        )
      ) AS BIGINT) AS TEXT) || '.' || REGEXP_REPLACE(
        CASE
          WHEN 6 <= LENGTH(
            CAST(ABS((
              "t18"."_present" + "t18"."_absent"
            ) - "t18"."_n_days_enrolled") % 1000000 AS TEXT)
          )
          THEN CAST(ABS((
            "t18"."_present" + "t18"."_absent"
          ) - "t18"."_n_days_enrolled") % 1000000 AS TEXT)
          ELSE REPEAT(
            '0',
            6 - LENGTH(
              CAST(ABS((
                "t18"."_present" + "t18"."_absent"
              ) - "t18"."_n_days_enrolled") % 1000000 AS TEXT)
            )
          ) || CAST(ABS((
            "t18"."_present" + "t18"."_absent"
          ) - "t18"."_n_days_enrolled") % 1000000 AS TEXT)
        END,
        '0+$',
        '',
        'g'
      )
    END || CASE
      WHEN ABS((
        "t18"."_present" + "t18"."_absent"
      ) - "t18"."_n_days_enrolled") = 1000000
      THEN ' day'
      ELSE ' days'
    END || CASE
      WHEN (
        (
          "t18"."_present" + "t18"."_absent"
        ) - "t18"."_n_days_enrolled"
      ) < 0
      THEN ' short'
      ELSE ' over'
    END || ')'
    ELSE CAST(NULL AS TEXT)
  END AS "_value_12",
  CASE
    WHEN CASE
      WHEN (
        "t18"."student_id" IS NULL
      ) OR (
        "t18"."student_id" = ''
      )
      THEN 1
      WHEN (
        "t18"."school_id" IS NULL
      ) OR (
        "t18"."school_id" = ''
      )
      THEN 2
      WHEN "t18"."sid" IS NULL
      THEN 3
      WHEN "t18"."sch" IS NULL
      THEN 4
      WHEN (
        "t18"."grade" IS NULL
      ) OR (
        "t18"."grade" = ''
      )
      THEN 5
      WHEN "t18"."_grade" IS NULL
      THEN 6
      WHEN NOT (
        (
          "t18"."days_enrolled" IS NOT NULL
        ) AND (
          "t18"."days_enrolled" <> ''
        )
      )
      AND NOT (
        (
          "t18"."days_present" IS NOT NULL
        ) AND (
          "t18"."days_present" <> ''
        )
      )
      THEN 7
      WHEN (
        "t18"."days_enrolled" IS NOT NULL
      )
      AND (
        "t18"."days_enrolled" <> ''
      )
      AND (
        "t18"."_n_days_enrolled" IS NULL
      )
      THEN 8
      WHEN (
        "t18"."days_absent_other" IS NOT NULL
      )
      AND (
        "t18"."days_absent_other" <> ''
      )
      AND (
        "t18"."_n_days_absent_other" IS NULL
      )
      THEN 9
      WHEN (
        "t18"."days_enrolled" IS NOT NULL
      )
      AND (
        "t18"."days_enrolled" <> ''
      )
      AND (
        (
          COALESCE("t18"."_n_days_enrolled", 0) % 1000000
        ) <> 0
      )
      THEN 10
      WHEN (
        "t18"."days_absent" IS NOT NULL
      )
      AND (
        "t18"."days_absent" <> ''
      )
      AND (
        (
          "t18"."_absent" - "t18"."_n_days_absent"
        ) <> 0
      )
      THEN 11
      WHEN (
        "t18"."days_enrolled" IS NOT NULL
      )
      AND (
        "t18"."days_enrolled" <> ''
      )
      AND (
        (
          "t18"."days_present" IS NOT NULL
        ) AND (
          "t18"."days_present" <> ''
        )
      )
      AND (
        (
          (
            "t18"."_present" + "t18"."_absent"
          ) - "t18"."_n_days_enrolled"
        ) <> 0
      )
      THEN 12
      WHEN "t18"."_absent" > "t18"."_enrolled"
      THEN 13
      WHEN NOT (
        (
          "t18"."days_enrolled" IS NOT NULL
        ) AND (
          "t18"."days_enrolled" <> ''
        )
      )
      AND (
        (
          "t18"."_enrolled" % 1000000
        ) <> 0
      )
      THEN 14
      ELSE 0
    END = 13
    THEN 'absences ' || CASE
      WHEN (
        "t18"."_absent" % 1000000
      ) = 0
      THEN CAST(CAST(FLOOR((
        "t18"."_absent"
      ) / (
        1000000
      )) AS BIGINT) AS TEXT)
      ELSE CAST(CAST(FLOOR((
        "t18"."_absent"
      ) / (
        1000000
      )) AS BIGINT) AS TEXT) || '.' || REGEXP_REPLACE(
        CASE
          WHEN 6 <= LENGTH(CAST("t18"."_absent" % 1000000 AS TEXT))
          THEN CAST("t18"."_absent" % 1000000 AS TEXT)
          ELSE REPEAT('0', 6 - LENGTH(CAST("t18"."_absent" % 1000000 AS TEXT))) || CAST("t18"."_absent" % 1000000 AS TEXT)
        END,
        '0+$',
        '',
        'g'
      )
    END || ' are more than the ' || CASE
      WHEN (
        "t18"."_enrolled" % 1000000
      ) = 0
      THEN CAST(CAST(FLOOR((
        "t18"."_enrolled"
      ) / (
        1000000
      )) AS BIGINT) AS TEXT)
      ELSE CAST(CAST(FLOOR((
        "t18"."_enrolled"
      ) / (
        1000000
      )) AS BIGINT) AS TEXT) || '.' || REGEXP_REPLACE(
        CASE
          WHEN 6 <= LENGTH(CAST("t18"."_enrolled" % 1000000 AS TEXT))
          THEN CAST("t18"."_enrolled" % 1000000 AS TEXT)
          ELSE REPEAT('0', 6 - LENGTH(CAST("t18"."_enrolled" % 1000000 AS TEXT))) || CAST("t18"."_enrolled" % 1000000 AS TEXT)
        END,
        '0+$',
        '',
        'g'
      )
    END || ' enrolled days'
    ELSE CAST(NULL AS TEXT)
  END AS "_value_13",
  CASE
    WHEN CASE
      WHEN (
        "t18"."student_id" IS NULL
      ) OR (
        "t18"."student_id" = ''
      )
      THEN 1
      WHEN (
        "t18"."school_id" IS NULL
      ) OR (
        "t18"."school_id" = ''
      )
      THEN 2
      WHEN "t18"."sid" IS NULL
      THEN 3
      WHEN "t18"."sch" IS NULL
      THEN 4
      WHEN (
        "t18"."grade" IS NULL
      ) OR (
        "t18"."grade" = ''
      )
      THEN 5
      WHEN "t18"."_grade" IS NULL
      THEN 6
      WHEN NOT (
        (
          "t18"."days_enrolled" IS NOT NULL
        ) AND (
          "t18"."days_enrolled" <> ''
        )
      )
      AND NOT (
        (
          "t18"."days_present" IS NOT NULL
        ) AND (
          "t18"."days_present" <> ''
        )
      )
      THEN 7
      WHEN (
        "t18"."days_enrolled" IS NOT NULL
      )
      AND (
        "t18"."days_enrolled" <> ''
      )
      AND (
        "t18"."_n_days_enrolled" IS NULL
      )
      THEN 8
      WHEN (
        "t18"."days_absent_other" IS NOT NULL
      )
      AND (
        "t18"."days_absent_other" <> ''
      )
      AND (
        "t18"."_n_days_absent_other" IS NULL
      )
      THEN 9
      WHEN (
        "t18"."days_enrolled" IS NOT NULL
      )
      AND (
        "t18"."days_enrolled" <> ''
      )
      AND (
        (
          COALESCE("t18"."_n_days_enrolled", 0) % 1000000
        ) <> 0
      )
      THEN 10
      WHEN (
        "t18"."days_absent" IS NOT NULL
      )
      AND (
        "t18"."days_absent" <> ''
      )
      AND (
        (
          "t18"."_absent" - "t18"."_n_days_absent"
        ) <> 0
      )
      THEN 11
      WHEN (
        "t18"."days_enrolled" IS NOT NULL
      )
      AND (
        "t18"."days_enrolled" <> ''
      )
      AND (
        (
          "t18"."days_present" IS NOT NULL
        ) AND (
          "t18"."days_present" <> ''
        )
      )
      AND (
        (
          (
            "t18"."_present" + "t18"."_absent"
          ) - "t18"."_n_days_enrolled"
        ) <> 0
      )
      THEN 12
      WHEN "t18"."_absent" > "t18"."_enrolled"
      THEN 13
      WHEN NOT (
        (
          "t18"."days_enrolled" IS NOT NULL
        ) AND (
          "t18"."days_enrolled" <> ''
        )
      )
      AND (
        (
          "t18"."_enrolled" % 1000000
        ) <> 0
      )
      THEN 14
      ELSE 0
    END = 14
    THEN 'enrolled days would be ' || CASE
      WHEN (
        "t18"."_enrolled" % 1000000
      ) = 0
      THEN CAST(CAST(FLOOR((
        "t18"."_enrolled"
      ) / (
        1000000
      )) AS BIGINT) AS TEXT)
      ELSE CAST(CAST(FLOOR((
        "t18"."_enrolled"
      ) / (
        1000000
      )) AS BIGINT) AS TEXT) || '.' || REGEXP_REPLACE(
        CASE
          WHEN 6 <= LENGTH(CAST("t18"."_enrolled" % 1000000 AS TEXT))
          THEN CAST("t18"."_enrolled" % 1000000 AS TEXT)
          ELSE REPEAT('0', 6 - LENGTH(CAST("t18"."_enrolled" % 1000000 AS TEXT))) || CAST("t18"."_enrolled" % 1000000 AS TEXT)
        END,
        '0+$',
        '',
        'g'
      )
    END || ', not a whole number'
    ELSE CAST(NULL AS TEXT)
  END AS "_value_14"
FROM (
  SELECT
    "t17"."_record",
    "t17"."student_id",
    "t17"."school_id",
    "t17"."grade",
    "t17"."days_enrolled",
    "t17"."days_absent_other",
    "t17"."_file",
    "t17"."_line",
    "t17"."days_present",
    "t17"."days_in_school_suspension",
    "t17"."days_independent_study",
    "t17"."days_absent",
    "t17"."days_excused",
    "t17"."days_unexcused",
    "t17"."days_suspension",
    "t17"."school_year",
    "t17"."_grade",
    "t17"."sid",
    "t17"."sch",
    "t17"."_n_days_enrolled",
    "t17"."_n_days_present",
    "t17"."_n_days_in_school_suspension",
    "t17"."_n_days_independent_study",
    "t17"."_n_days_absent",
    "t17"."_n_days_excused",
    "t17"."_n_days_unexcused",
    "t17"."_n_days_suspension",
    "t17"."_n_days_absent_other",
    0 + COALESCE("t17"."_n_days_excused", 0) + COALESCE("t17"."_n_days_unexcused", 0) + COALESCE("t17"."_n_days_suspension", 0) + COALESCE("t17"."_n_days_absent_other", 0) AS "_absent",
    0 + COALESCE("t17"."_n_days_present", 0) + COALESCE("t17"."_n_days_in_school_suspension", 0) + COALESCE("t17"."_n_days_independent_study", 0) AS "_present",
    CASE
      WHEN (
        "t17"."days_enrolled" IS NOT NULL
      ) AND (
        "t17"."days_enrolled" <> ''
      )
      THEN COALESCE("t17"."_n_days_enrolled", 0)
      ELSE 0 + COALESCE("t17"."_n_days_present", 0) + COALESCE("t17"."_n_days_in_school_suspension", 0) + COALESCE("t17"."_n_days_independent_study", 0) + (
        0 + COALESCE("t17"."_n_days_excused", 0) + COALESCE("t17"."_n_days_unexcused", 0) + COALESCE("t17"."_n_days_suspension", 0) + COALESCE("t17"."_n_days_absent_other", 0)
      )
    END AS "_enrolled",
    "t17"."_grade" AS "grade_code",
    CAST(NULL AS TEXT) AS "_school_year"
  FROM (
    SELECT
      "t16"."_record",
      "t16"."student_id",
      "t16"."school_id",
      "t16"."grade",
      "t16"."days_enrolled",
      "t16"."days_absent_other",
      "t16"."_file",
      "t16"."_line",
      "t16"."days_present",
      "t16"."days_in_school_suspension",
      "t16"."days_independent_study",
      "t16"."days_absent",
      "t16"."days_excused",
      "t16"."days_unexcused",
      "t16"."days_suspension",
      "t16"."school_year",
      "t16"."_grade",
      "t16"."sid",
      "t16"."sch",
      CASE
        WHEN REGEXP_MATCHES("t16"."days_enrolled", '^([0-9]+\.?[0-9]*|\.[0-9]+)$')
        THEN CAST(TRY_CAST("t16"."days_enrolled" AS DECIMAL(18, 6)) * 1000000 AS BIGINT)
        ELSE CAST(NULL AS BIGINT)
      END AS "_n_days_enrolled",
      CASE
        WHEN REGEXP_MATCHES("t16"."days_present", '^([0-9]+\.?[0-9]*|\.[0-9]+)$')
        THEN CAST(TRY_CAST("t16"."days_present" AS DECIMAL(18, 6)) * 1000000 AS BIGINT)
        ELSE CAST(NULL AS BIGINT)
      END AS "_n_days_present",
      CASE
        WHEN REGEXP_MATCHES("t16"."days_in_school_suspension", '^([0-9]+\.?[0-9]*|\.[0-9]+)$')
        THEN CAST(TRY_CAST("t16"."days_in_school_suspension" AS DECIMAL(18, 6)) * 1000000 AS BIGINT)
        ELSE CAST(NULL AS BIGINT)
      END AS "_n_days_in_school_suspension",
      CASE
        WHEN REGEXP_MATCHES("t16"."days_independent_study", '^([0-9]+\.?[0-9]*|\.[0-9]+)$')
        THEN CAST(TRY_CAST("t16"."days_independent_study" AS DECIMAL(18, 6)) * 1000000 AS BIGINT)
        ELSE CAST(NULL AS BIGINT)
      END AS "_n_days_independent_study",
      CASE
        WHEN REGEXP_MATCHES("t16"."days_absent", '^([0-9]+\.?[0-9]*|\.[0-9]+)$')
        THEN CAST(TRY_CAST("t16"."days_absent" AS DECIMAL(18, 6)) * 1000000 AS BIGINT)
        ELSE CAST(NULL AS BIGINT)
      END AS "_n_days_absent",
      CASE
        WHEN REGEXP_MATCHES("t16"."days_excused", '^([0-9]+\.?[0-9]*|\.[0-9]+)$')
        THEN CAST(TRY_CAST("t16"."days_excused" AS DECIMAL(18, 6)) * 1000000 AS BIGINT)
        ELSE CAST(NULL AS BIGINT)
      END AS "_n_days_excused",
      CASE
        WHEN REGEXP_MATCHES("t16"."days_unexcused", '^([0-9]+\.?[0-9]*|\.[0-9]+)$')
        THEN CAST(TRY_CAST("t16"."days_unexcused" AS DECIMAL(18, 6)) * 1000000 AS BIGINT)
        ELSE CAST(NULL AS BIGINT)
      END AS "_n_days_unexcused",
      CASE
        WHEN REGEXP_MATCHES("t16"."days_suspension", '^([0-9]+\.?[0-9]*|\.[0-9]+)$')
        THEN CAST(TRY_CAST("t16"."days_suspension" AS DECIMAL(18, 6)) * 1000000 AS BIGINT)
        ELSE CAST(NULL AS BIGINT)
      END AS "_n_days_suspension",
      CASE
        WHEN REGEXP_MATCHES("t16"."days_absent_other", '^([0-9]+\.?[0-9]*|\.[0-9]+)$')
        THEN CAST(TRY_CAST("t16"."days_absent_other" AS DECIMAL(18, 6)) * 1000000 AS BIGINT)
        ELSE CAST(NULL AS BIGINT)
      END AS "_n_days_absent_other"
    FROM (
      SELECT
        "t15".*
        EXCLUDE ("_school", "_student")
      FROM (
        SELECT
          "t14"."_record",
          "t14"."student_id",
          "t14"."school_id",
          "t14"."grade",
          "t14"."days_enrolled",
          "t14"."days_absent_other",
          "t14"."_file",
          "t14"."_line",
          "t14"."days_present",
          "t14"."days_in_school_suspension",
          "t14"."days_independent_study",
          "t14"."days_absent",
          "t14"."days_excused",
          "t14"."days_unexcused",
          "t14"."days_suspension",
          "t14"."school_year",
          "t14"."_grade",
          "t7"."_student",
          "t7"."sid",
          "t8"."_school",
          "t8"."sch"
        FROM (
          SELECT
            "t12".*
            EXCLUDE ("_code")
          FROM (
            SELECT
              "t9"."_record",
              "t9"."student_id",
              "t9"."school_id",
              "t9"."grade",
              "t9"."days_enrolled",
              "t9"."days_absent_other",
              "t9"."_file",
              "t9"."_line",
              "t9"."days_present",
              "t9"."days_in_school_suspension",
              "t9"."days_independent_study",
              "t9"."days_absent",
              "t9"."days_excused",
              "t9"."days_unexcused",
              "t9"."days_suspension",
              "t9"."school_year",
              "t11"."_code",
              "t11"."_grade"
            FROM (
              SELECT
                "t2"."_record",
                "t2"."student_id",
                "t2"."school_id",
                "t2"."grade",
                "t2"."days_enrolled",
                "t2"."days_absent_other",
                "t2"."_file",
                "t2"."_line",
                CAST(NULL AS TEXT) AS "days_present",
                CAST(NULL AS TEXT) AS "days_in_school_suspension",
                CAST(NULL AS TEXT) AS "days_independent_study",
                CAST(NULL AS TEXT) AS "days_absent",
                CAST(NULL AS TEXT) AS "days_excused",
                CAST(NULL AS TEXT) AS "days_unexcused",
                CAST(NULL AS TEXT) AS "days_suspension",
                CAST(NULL AS TEXT) AS "school_year"
              FROM "raw_totals" AS "t2"
            ) AS "t9"
            LEFT OUTER JOIN (
              SELECT
                "t6"."_row"."_code" AS "_code",
                "t6"."_row"."_grade" AS "_grade"
              FROM (
                SELECT
                  UNNEST(
                    [
                      CAST(ROW('0', 'K') AS STRUCT("_code" TEXT, "_grade" TEXT)),
                      CAST(ROW('00', 'K') AS STRUCT("_code" TEXT, "_grade" TEXT)),
                      CAST(ROW('01', '1') AS STRUCT("_code" TEXT, "_grade" TEXT)),
                      CAST(ROW('010', '10') AS STRUCT("_code" TEXT, "_grade" TEXT)),
                      CAST(ROW('011', '11') AS STRUCT("_code" TEXT, "_grade" TEXT)),
                      CAST(ROW('012', '12') AS STRUCT("_code" TEXT, "_grade" TEXT)),
                      CAST(ROW('02', '2') AS STRUCT("_code" TEXT, "_grade" TEXT)),
                      CAST(ROW('03', '3') AS STRUCT("_code" TEXT, "_grade" TEXT)),
                      CAST(ROW('04', '4') AS STRUCT("_code" TEXT, "_grade" TEXT)),
                      CAST(ROW('05', '5') AS STRUCT("_code" TEXT, "_grade" TEXT)),
                      CAST(ROW('06', '6') AS STRUCT("_code" TEXT, "_grade" TEXT)),
                      CAST(ROW('07', '7') AS STRUCT("_code" TEXT, "_grade" TEXT)),
                      CAST(ROW('08', '8') AS STRUCT("_code" TEXT, "_grade" TEXT)),
                      CAST(ROW('09', '9') AS STRUCT("_code" TEXT, "_grade" TEXT)),
                      CAST(ROW('0K', 'K') AS STRUCT("_code" TEXT, "_grade" TEXT)),
                      CAST(ROW('1', '1') AS STRUCT("_code" TEXT, "_grade" TEXT)),
                      CAST(ROW('10', '10') AS STRUCT("_code" TEXT, "_grade" TEXT)),
                      CAST(ROW('11', '11') AS STRUCT("_code" TEXT, "_grade" TEXT)),
                      CAST(ROW('12', '12') AS STRUCT("_code" TEXT, "_grade" TEXT)),
                      CAST(ROW('2', '2') AS STRUCT("_code" TEXT, "_grade" TEXT)),
                      CAST(ROW('3', '3') AS STRUCT("_code" TEXT, "_grade" TEXT)),
                      CAST(ROW('4', '4') AS STRUCT("_code" TEXT, "_grade" TEXT)),
                      CAST(ROW('5', '5') AS STRUCT("_code" TEXT, "_grade" TEXT)),
                      CAST(ROW('6', '6') AS STRUCT("_code" TEXT, "_grade" TEXT)),
                      CAST(ROW('7', '7') AS STRUCT("_code" TEXT, "_grade" TEXT)),
                      CAST(ROW('8', '8') AS STRUCT("_code" TEXT, "_grade" TEXT)),
                      CAST(ROW('9', '9') AS STRUCT("_code" TEXT, "_grade" TEXT)),
                      CAST(ROW('K', 'K') AS STRUCT("_code" TEXT, "_grade" TEXT)),
                      CAST(ROW('KG', 'K') AS STRUCT("_code" TEXT, "_grade" TEXT)),
                      CAST(ROW('KN', 'K') AS STRUCT("_code" TEXT, "_grade" TEXT)),
                      CAST(ROW('PK', 'PK') AS STRUCT("_code" TEXT, "_grade" TEXT)),
                      CAST(ROW('TK', 'TK') AS STRUCT("_code" TEXT, "_grade" TEXT)),
                      CAST(ROW('UG', 'UG') AS STRUCT("_code" TEXT, "_grade" TEXT))
                    ]
                  ) AS "_row"
              ) AS "t6"
            ) AS "t11"
              ON UPPER("t9"."grade") = "t11"."_code"
          ) AS "t12"
        ) AS "t14"
        LEFT OUTER JOIN (
          SELECT
            "t0"."student_id" AS "_student",
            "t0"."sid"
          FROM "t2" AS "t0"
        ) AS "t7"
          ON "t14"."student_id" = "t7"."_student"
        LEFT OUTER JOIN (
          SELECT
            "t1"."school_id" AS "_school",
            "t1"."sch"
          FROM "t3" AS "t1"
        ) AS "t8"
          ON "t14"."school_id" = "t8"."_school"
      ) AS "t15"
    ) AS "t16"
  ) AS "t17"
) AS "t18"

-- checks.kept
WITH "t2" AS (
  SELECT
    "t0"."_record",
    "t0"."sid",
    "t0"."sch",
    "t0"."grade_code",
    "t0"."_school_year",
    "t0"."_enrolled",
    "t0"."_absent",
    "t0"."_n_days_excused",
    "t0"."_n_days_unexcused",
    "t0"."_n_days_suspension",
    TRUE AS "_ok"
  FROM "t4" AS "t0"
  WHERE
    "t0"."_failed" = 0
    AND (
      (
        "t0"."_school_year" IS NULL
      ) OR (
        "t0"."_school_year" = '2024-25'
      )
    )
    AND TRUE
)
SELECT
  "t14"."_record",
  "t14"."sid",
  "t14"."sch",
  "t14"."grade_code",
  "t14"."_school_year",
  "t14"."_enrolled",
  "t14"."_absent",
  "t14"."_n_days_excused",
  "t14"."_n_days_unexcused",
  "t14"."_n_days_suspension",
  CASE WHEN "t14"."_dup" THEN 1 ELSE 0 END AS "_failed"
FROM (
  SELECT
    "t13".*
    EXCLUDE ("_ok")
  FROM (
    SELECT
      "t3"."_record",
      "t3"."sid",
      "t3"."sch",
      "t3"."grade_code",
      "t3"."_school_year",
      "t3"."_enrolled",
      "t3"."_absent",
      "t3"."_n_days_excused",
      "t3"."_n_days_unexcused",
      "t3"."_n_days_suspension",
      "t3"."_ok",
      "t12"."_later_record" IS NOT NULL AS "_dup"
    FROM (
      SELECT
        "t0"."_record",
        "t0"."sid",
        "t0"."sch",
        "t0"."grade_code",
        "t0"."_school_year",
        "t0"."_enrolled",
        "t0"."_absent",
        "t0"."_n_days_excused",
        "t0"."_n_days_unexcused",
        "t0"."_n_days_suspension",
        TRUE AS "_ok"
      FROM "t4" AS "t0"
      WHERE
        "t0"."_failed" = 0
        AND (
          (
            "t0"."_school_year" IS NULL
          ) OR (
            "t0"."_school_year" = '2024-25'
          )
        )
    ) AS "t3"
    LEFT OUTER JOIN (
      SELECT
        "t10"."_record" AS "_later_record"
      FROM (
        SELECT
          "t9"."_record",
          "t9"."sid",
          "t9"."sch",
          "t9"."grade_code",
          "t9"."_school_year",
          "t9"."_enrolled",
          "t9"."_absent",
          "t9"."_n_days_excused",
          "t9"."_n_days_unexcused",
          "t9"."_n_days_suspension",
          "t9"."_ok",
          ROW_NUMBER() OVER (
            PARTITION BY "t9"."sid", "t9"."sch"
            ORDER BY "t9"."_record" ASC
            ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
          ) - 1 AS "_rank"
        FROM (
          SELECT
            "t5"."_record",
            "t5"."sid",
            "t5"."sch",
            "t5"."grade_code",
            "t5"."_school_year",
            "t5"."_enrolled",
            "t5"."_absent",
            "t5"."_n_days_excused",
            "t5"."_n_days_unexcused",
            "t5"."_n_days_suspension",
            "t5"."_ok"
          FROM "t2" AS "t5"
          SEMI JOIN (
            SELECT
              *
            FROM (
              SELECT
                "t4"."sid",
                "t4"."sch",
                COUNT(*) AS "_rows"
              FROM "t2" AS "t4"
              GROUP BY
                1,
                2
            ) AS "t6"
            WHERE
              "t6"."_rows" > 1
          ) AS "t8"
            ON "t5"."sid" = "t8"."sid" AND "t5"."sch" = "t8"."sch"
        ) AS "t9"
      ) AS "t10"
      WHERE
        "t10"."_rank" > 0
    ) AS "t12"
      ON "t3"."_record" = "t12"."_later_record"
  ) AS "t13"
) AS "t14"

-- totals.compute_totals
SELECT
  "t1".*
  EXCLUDE ("_failed")
FROM (
  SELECT
    *
  FROM "t5" AS "t0"
  WHERE
    "t0"."_failed" = 0
) AS "t1"

-- totals.compute_totals
SELECT
  "t0"."sid",
  "t0"."sch",
  CAST(FLOOR((
    "t0"."_enrolled"
  ) / (
    1000000
  )) AS BIGINT) AS "days_enrolled",
  "t0"."_absent" AS "days_absent",
  COALESCE("t0"."_n_days_excused", 0) AS "days_excused",
  COALESCE("t0"."_n_days_unexcused", 0) AS "days_unexcused",
  COALESCE("t0"."_n_days_suspension", 0) AS "days_suspension",
  CAST(FLOOR((
    "t0"."_absent"
  ) / (
    1000000
  )) AS BIGINT) AS "wholly_absent"
FROM "t6" AS "t0"
WHERE
  CAST(FLOOR((
    "t0"."_enrolled"
  ) / (
    1000000
  )) AS BIGINT) > 0

-- totals.compute_totals
SELECT
  *
FROM (
  SELECT
    *
  FROM (
    SELECT
      "t0"."sch",
      'school' AS "level",
      "t0"."school_id" AS "unit_id"
    FROM "t3" AS "t0"
  ) AS "t2"
  UNION ALL
  SELECT
    *
  FROM (
    SELECT
      "t0"."sch",
      'district' AS "level",
      "t0"."district_id" AS "unit_id"
    FROM "t3" AS "t0"
  ) AS "t3"
) AS "t4"
UNION ALL
SELECT
  *
FROM (
  SELECT
    "t0"."sch",
    'total' AS "level",
    'total' AS "unit_id"
  FROM "t3" AS "t0"
) AS "t1"

-- totals.compute_totals
SELECT
  "t6"."sid",
  "t6"."level",
  "t6"."unit_id",
  "t6"."grade"
FROM (
  SELECT
    "t5"."sid",
    "t5"."level",
    "t5"."unit_id",
    "t5"."grade",
    "t5"."entry",
    "t5"."record",
    ROW_NUMBER() OVER (
      PARTITION BY "t5"."sid", "t5"."level", "t5"."unit_id"
      ORDER BY "t5"."entry" DESC, "t5"."record" DESC
      ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
    ) - 1 AS "_rank"
  FROM (
    SELECT
      "t4"."sid",
      "t2"."level",
      "t2"."unit_id",
      "t4"."grade",
      "t4"."entry",
      "t4"."_record" AS "record"
    FROM (
      SELECT
        "t0"."_record",
        "t0"."sid",
        "t0"."sch",
        "t0"."grade_code" AS "grade",
        MAKE_DATE(2024, 7, 1) AS "entry",
        CAST(FLOOR((
          "t0"."_enrolled"
        ) / (
          1000000
        )) AS BIGINT) AS "days"
      FROM "t6" AS "t0"
      WHERE
        CAST(FLOOR((
          "t0"."_enrolled"
        ) / (
          1000000
        )) AS BIGINT) > 0
    ) AS "t4"
    INNER JOIN "t7" AS "t2"
      ON "t4"."sch" = "t2"."sch"
  ) AS "t5"
) AS "t6"
WHERE
  "t6"."_rank" = 0

-- totals.compute_totals
SELECT
  "t20"."sid",
  "t20"."level",
  "t20"."unit_id",
  "t20"."grade",
  "t20"."days_enrolled",
  "t20"."days_absent",
  "t20"."days_excused",
  "t20"."days_unexcused",
  "t20"."days_suspension",
  "t20"."wholly_absent",
  "t20"."days_enrolled" >= 10 AS "eligible",
  CASE
    WHEN "t20"."days_enrolled" >= 10
    THEN (
      "t20"."days_absent" * 10
    ) >= (
      "t20"."days_enrolled" * 1 * 1000000
    )
    ELSE CAST(NULL AS BOOLEAN)
  END AS "chronically_absent",
  CASE
    WHEN "t20"."days_enrolled" >= 10
    THEN CASE
      WHEN NOT (
        (
          "t20"."days_absent" * 20
        ) >= (
          "t20"."days_enrolled" * 1 * 1000000
        )
      )
      THEN 'satisfactory'
      WHEN NOT (
        (
          "t20"."days_absent" * 10
        ) >= (
          "t20"."days_enrolled" * 1 * 1000000
        )
      )
      THEN 'at_risk'
      WHEN NOT (
        (
          "t20"."days_absent" * 5
        ) >= (
          "t20"."days_enrolled" * 1 * 1000000
        )
      )
      THEN 'moderate'
      ELSE 'severe'
    END
    ELSE CAST(NULL AS TEXT)
  END AS "tier"
FROM (
  SELECT
    "t19"."sid",
    "t19"."level",
    "t19"."unit_id",
    "t4"."grade",
    "t19"."days_enrolled",
    "t19"."days_absent",
    "t19"."days_excused",
    "t19"."days_unexcused",
    "t19"."days_suspension",
    "t19"."wholly_absent"
  FROM (
    SELECT
      *
    FROM (
      SELECT
        "t5"."sid",
        "t9"."level",
        "t9"."unit_id",
        "t5"."days_enrolled",
        "t5"."days_absent",
        "t5"."days_excused",
        "t5"."days_unexcused",
        "t5"."days_suspension",
        "t5"."wholly_absent"
      FROM "t8" AS "t5"
      INNER JOIN (
        SELECT
          *
        FROM "t7" AS "t2"
        WHERE
          "t2"."level" = 'school'
      ) AS "t9"
        ON "t5"."sch" = "t9"."sch"
    ) AS "t11"
    UNION ALL
    SELECT
      *
    FROM (
      SELECT
        *
      FROM (
        SELECT
          "t14"."sid",
          "t14"."level",
          "t14"."unit_id",
          "t14"."days_enrolled" - COALESCE("t6"."extra_days", 0) AS "days_enrolled",
          "t14"."days_absent" - COALESCE("t6"."extra_days_absent", 0) AS "days_absent",
          "t14"."days_excused" - COALESCE("t6"."extra_days_excused", 0) AS "days_excused",
          "t14"."days_unexcused" - COALESCE("t6"."extra_days_unexcused", 0) AS "days_unexcused",
          "t14"."days_suspension" - COALESCE("t6"."extra_days_suspension", 0) AS "days_suspension",
          "t14"."wholly_absent" - COALESCE("t6"."extra_wholly_absent", 0) AS "wholly_absent"
        FROM (
          SELECT
            "t12"."sid",
            "t12"."level",
            "t12"."unit_id",
            SUM("t12"."days_enrolled") AS "days_enrolled",
            SUM("t12"."days_absent") AS "days_absent",
            SUM("t12"."days_excused") AS "days_excused",
            SUM("t12"."days_unexcused") AS "days_unexcused",
            SUM("t12"."days_suspension") AS "days_suspension",
            SUM("t12"."wholly_absent") AS "wholly_absent"
          FROM (
            SELECT
              "t5"."sid",
              "t5"."sch",
              "t5"."days_enrolled",
              "t5"."days_absent",
              "t5"."days_excused",
              "t5"."days_unexcused",
              "t5"."days_suspension",
              "t5"."wholly_absent",
              "t10"."level",
              "t10"."unit_id"
            FROM "t8" AS "t5"
            INNER JOIN (
              SELECT
                *
              FROM "t7" AS "t2"
              WHERE
                "t2"."level" <> 'school'
            ) AS "t10"
              ON "t5"."sch" = "t10"."sch"
          ) AS "t12"
          GROUP BY
            1,
            2,
            3
        ) AS "t14"
        LEFT OUTER JOIN "t9" AS "t6"
          ON "t14"."sid" = "t6"."sid"
          AND "t14"."level" = "t6"."level"
          AND "t14"."unit_id" = "t6"."unit_id"
      ) AS "t15"
    ) AS "t16"
  ) AS "t19"
  INNER JOIN "t10" AS "t4"
    ON "t19"."sid" = "t4"."sid"
    AND "t19"."level" = "t4"."level"
    AND "t19"."unit_id" = "t4"."unit_id"
) AS "t20"
WHERE
  "t20"."days_enrolled" > 0

-- stages.group_summary
SELECT
  "t2"."sid",
  "t2"."level",
  "t2"."unit_id",
  "t2"."grade",
  "t2"."days_enrolled",
  "t2"."days_absent",
  "t2"."days_excused",
  "t2"."days_unexcused",
  "t2"."days_suspension",
  "t2"."wholly_absent",
  "t2"."eligible",
  "t2"."chronically_absent",
  "t2"."tier"
FROM "t11" AS "t2"
LEFT OUTER JOIN (
  SELECT
    "t1"."sid"
  FROM "t2" AS "t1"
) AS "t4"
  ON "t2"."sid" = "t4"."sid"

-- stages.group_summary
SELECT
  "t5"."level",
  "t5"."unit_id",
  "t5"."dimension",
  "t5"."group",
  "t5"."eligible_students",
  "t5"."chronically_absent",
  "t5"."satisfactory",
  "t5"."at_risk",
  "t5"."moderate",
  "t5"."severe"
FROM (
  SELECT
    *
  FROM (
    SELECT
      "t1"."level",
      "t1"."unit_id",
      "t1"."group",
      "t1"."eligible_students",
      "t1"."chronically_absent",
      "t1"."satisfactory",
      "t1"."at_risk",
      "t1"."moderate",
      "t1"."severe",
      'all' AS "dimension"
    FROM (
      SELECT
        "t0"."level",
        "t0"."unit_id",
        'all' AS "group",
        SUM(CASE WHEN "t0"."eligible" THEN 1 ELSE 0 END) AS "eligible_students",
        SUM(CASE WHEN "t0"."chronically_absent" THEN 1 ELSE 0 END) AS "chronically_absent",
        SUM(CASE WHEN "t0"."tier" = 'satisfactory' THEN 1 ELSE 0 END) AS "satisfactory",
        SUM(CASE WHEN "t0"."tier" = 'at_risk' THEN 1 ELSE 0 END) AS "at_risk",
        SUM(CASE WHEN "t0"."tier" = 'moderate' THEN 1 ELSE 0 END) AS "moderate",
        SUM(CASE WHEN "t0"."tier" = 'severe' THEN 1 ELSE 0 END) AS "severe"
      FROM "t12" AS "t0"
      GROUP BY
        1,
        2,
        3
    ) AS "t1"
  ) AS "t3"
  UNION ALL
  SELECT
    *
  FROM (
    SELECT
      "t2"."level",
      "t2"."unit_id",
      "t2"."group",
      "t2"."eligible_students",
      "t2"."chronically_absent",
      "t2"."satisfactory",
      "t2"."at_risk",
      "t2"."moderate",
      "t2"."severe",
      'grade' AS "dimension"
    FROM (
      SELECT
        "t0"."level",
        "t0"."unit_id",
        "t0"."grade" AS "group",
        SUM(CASE WHEN "t0"."eligible" THEN 1 ELSE 0 END) AS "eligible_students",
        SUM(CASE WHEN "t0"."chronically_absent" THEN 1 ELSE 0 END) AS "chronically_absent",
        SUM(CASE WHEN "t0"."tier" = 'satisfactory' THEN 1 ELSE 0 END) AS "satisfactory",
        SUM(CASE WHEN "t0"."tier" = 'at_risk' THEN 1 ELSE 0 END) AS "at_risk",
        SUM(CASE WHEN "t0"."tier" = 'moderate' THEN 1 ELSE 0 END) AS "moderate",
        SUM(CASE WHEN "t0"."tier" = 'severe' THEN 1 ELSE 0 END) AS "severe"
      FROM "t12" AS "t0"
      GROUP BY
        1,
        2,
        3
    ) AS "t2"
  ) AS "t4"
) AS "t5"

-- totals.compute_totals
SELECT
  *
FROM (
  SELECT
    *
  FROM (
    SELECT
      'schools.csv' AS "file",
      "t14"."_refused_record" AS "record",
      "t7"."_file" AS "source_file",
      "t7"."_line" AS "source_line",
      CASE
        WHEN "t14"."_failed" = 1
        THEN 'school_id'
        WHEN "t14"."_failed" = 2
        THEN 'district_id'
        WHEN "t14"."_failed" = 3
        THEN 'school_id'
        ELSE NULL
      END AS "column",
      CASE
        WHEN "t14"."_failed" = 1
        THEN COALESCE("t7"."school_id", '')
        WHEN "t14"."_failed" = 2
        THEN ''
        WHEN "t14"."_failed" = 3
        THEN COALESCE("t7"."school_id", '')
        ELSE NULL
      END AS "value",
      CASE
        WHEN "t14"."_failed" = 1
        THEN 'missing value'
        WHEN "t14"."_failed" = 2
        THEN 'missing value'
        WHEN "t14"."_failed" = 3
        THEN 'duplicate'
        ELSE NULL
      END AS "reason"
    FROM (
      SELECT
        "t0"."_record" AS "_refused_record",
        "t0"."_failed"
      FROM "t0" AS "t0"
      WHERE
        "t0"."_failed" > 0
    ) AS "t14"
    INNER JOIN "raw_schools" AS "t7"
      ON "t14"."_refused_record" = "t7"."_record"
  ) AS "t18"
  UNION ALL
  SELECT
    *
  FROM (
    SELECT
      'students.csv' AS "file",
      "t15"."_refused_record" AS "record",
      "t8"."_file" AS "source_file",
      "t8"."_line" AS "source_line",
      CASE
        WHEN "t15"."_failed" = 1
        THEN 'student_id'
        WHEN "t15"."_failed" = 2
        THEN 'student_id'
        ELSE NULL
      END AS "column",
      CASE
        WHEN "t15"."_failed" = 1
        THEN COALESCE("t8"."student_id", '')
        WHEN "t15"."_failed" = 2
        THEN COALESCE("t8"."student_id", '')
        ELSE NULL
      END AS "value",
      CASE
        WHEN "t15"."_failed" = 1
        THEN 'missing value'
        WHEN "t15"."_failed" = 2
        THEN 'duplicate'
        ELSE NULL
      END AS "reason"
    FROM (
      SELECT
        "t2"."_record" AS "_refused_record",
        "t2"."_failed"
      FROM "t1" AS "t2"
      WHERE
        "t2"."_failed" > 0
    ) AS "t15"
    INNER JOIN "raw_students" AS "t8"
      ON "t15"."_refused_record" = "t8"."_record"
  ) AS "t19"
) AS "t22"
UNION ALL
SELECT
  *
FROM (
  SELECT
    *
  FROM (
    SELECT
      'totals.csv' AS "file",
      "t16"."_refused_record" AS "record",
      "t9"."_file" AS "source_file",
      "t9"."_line" AS "source_line",
      CASE
        WHEN "t16"."_failed" = 1
        THEN 'student_id'
        WHEN "t16"."_failed" = 2
        THEN 'school_id'
        WHEN "t16"."_failed" = 3
        THEN 'student_id'
        WHEN "t16"."_failed" = 4
        THEN 'school_id'
        WHEN "t16"."_failed" = 5
        THEN 'grade'
        WHEN "t16"."_failed" = 6
        THEN 'grade'
        WHEN "t16"."_failed" = 7
        THEN 'days_enrolled'
        WHEN "t16"."_failed" = 8
        THEN 'days_enrolled'
        WHEN "t16"."_failed" = 9
        THEN 'days_absent_other'
        WHEN "t16"."_failed" = 10
        THEN 'days_enrolled'
        WHEN "t16"."_failed" = 11
        THEN 'days_absent'
        WHEN "t16"."_failed" = 12
        THEN 'days_enrolled'
        WHEN "t16"."_failed" = 13
        THEN 'days_enrolled'
        WHEN "t16"."_failed" = 14
        THEN 'days_present'
        ELSE NULL
      END AS "column",
      CASE
        WHEN "t16"."_failed" = 1
        THEN COALESCE("t9"."student_id", '')
        WHEN "t16"."_failed" = 2
        THEN COALESCE("t9"."school_id", '')
        WHEN "t16"."_failed" = 3
        THEN COALESCE("t9"."student_id", '')
        WHEN "t16"."_failed" = 4
        THEN COALESCE("t9"."school_id", '')
        WHEN "t16"."_failed" = 5
        THEN COALESCE("t9"."grade", '')
        WHEN "t16"."_failed" = 6
        THEN COALESCE("t9"."grade", '')
        WHEN "t16"."_failed" = 7
        THEN COALESCE("t9"."days_enrolled", '')
        WHEN "t16"."_failed" = 8
        THEN COALESCE("t9"."days_enrolled", '')
        WHEN "t16"."_failed" = 9
        THEN COALESCE("t9"."days_absent_other", '')
        WHEN "t16"."_failed" = 10
        THEN COALESCE("t9"."days_enrolled", '')
        WHEN "t16"."_failed" = 11
        THEN COALESCE("t16"."_value_11", '')
        WHEN "t16"."_failed" = 12
        THEN COALESCE("t16"."_value_12", '')
        WHEN "t16"."_failed" = 13
        THEN COALESCE("t16"."_value_13", '')
        WHEN "t16"."_failed" = 14
        THEN COALESCE("t16"."_value_14", '')
        ELSE NULL
      END AS "value",
      CASE
        WHEN "t16"."_failed" = 1
        THEN 'missing value'
        WHEN "t16"."_failed" = 2
        THEN 'missing value'
        WHEN "t16"."_failed" = 3
        THEN 'unknown student'
        WHEN "t16"."_failed" = 4
        THEN 'unknown school'
        WHEN "t16"."_failed" = 5
        THEN 'missing value'
        WHEN "t16"."_failed" = 6
        THEN 'unknown grade'
        WHEN "t16"."_failed" = 7
        THEN 'missing value'
        WHEN "t16"."_failed" = 8
        THEN 'invalid number'
        WHEN "t16"."_failed" = 9
        THEN 'invalid number'
        WHEN "t16"."_failed" = 10
        THEN 'invalid number'
        WHEN "t16"."_failed" = 11
        THEN 'parts do not add up'
        WHEN "t16"."_failed" = 12
        THEN 'parts do not add up'
        WHEN "t16"."_failed" = 13
        THEN 'parts do not add up'
        WHEN "t16"."_failed" = 14
        THEN 'parts do not add up'
        ELSE NULL
      END AS "reason"
    FROM (
      SELECT
        "t4"."_value_11",
        "t4"."_value_12",
        "t4"."_value_13",
        "t4"."_value_14",
        "t4"."_record" AS "_refused_record",
        "t4"."_failed"
      FROM "t4" AS "t4"
      WHERE
        "t4"."_failed" > 0
    ) AS "t16"
    INNER JOIN "raw_totals" AS "t9"
      ON "t16"."_refused_record" = "t9"."_record"
  ) AS "t20"
  UNION ALL
  SELECT
    *
  FROM (
    SELECT
      'totals.csv' AS "file",
      "t17"."_refused_record" AS "record",
      "t9"."_file" AS "source_file",
      "t9"."_line" AS "source_line",
      CASE WHEN "t17"."_failed" = 1 THEN 'student_id' ELSE NULL END AS "column",
      CASE WHEN "t17"."_failed" = 1 THEN COALESCE("t9"."student_id", '') ELSE NULL END AS "value",
      CASE WHEN "t17"."_failed" = 1 THEN 'duplicate' ELSE NULL END AS "reason"
    FROM (
      SELECT
        "t6"."_record" AS "_refused_record",
        "t6"."_failed"
      FROM "t5" AS "t6"
      WHERE
        "t6"."_failed" > 0
    ) AS "t17"
    INNER JOIN "raw_totals" AS "t9"
      ON "t17"."_refused_record" = "t9"."_record"
  ) AS "t21"
) AS "t23"
