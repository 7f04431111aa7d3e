-- checks.kept
WITH "t1" AS (
  SELECT
    "t0"."_record",
    "t0"."school_id",
    "t0"."district_id",
    NOT (
      (
        "t0"."school_id" IS NULL
      )
      OR (
        "t0"."school_id" = ''
      )
      OR (
        (
          "t0"."district_id" IS NULL
        ) OR (
          "t0"."district_id" = ''
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
  "t0"."_record",
  "t0"."school_id",
  "t0"."district_id",
  "t0"."_record" AS "sch"
FROM "t0" AS "t0"
WHERE
  "t0"."_failed" = 0

-- checks.kept
WITH "t1" AS (
  SELECT
    "t0"."_record",
    "t0"."student_id",
    "t0"."gender",
    NOT (
      (
        "t0"."student_id" IS NULL
      ) OR (
        "t0"."student_id" = ''
      )
    ) AS "_ok"
  FROM "raw_students" AS "t0"
), "t4" AS (
  SELECT
    *
  FROM "t1" AS "t2"
  WHERE
    "t2"."_ok"
)
SELECT
  "t15"."_record",
  "t15"."student_id",
  "t15"."gender",
  CASE
    WHEN (
      "t15"."student_id" IS NULL
    ) OR (
      "t15"."student_id" = ''
    )
    THEN 1
    WHEN "t15"."_dup"
    THEN 2
    ELSE 0
  END AS "_failed"
FROM (
  SELECT
    "t14".*
    EXCLUDE ("_ok")
  FROM (
    SELECT
      "t3"."_record",
      "t3"."student_id",
      "t3"."gender",
      "t3"."_ok",
      "t13"."_later_record" IS NOT NULL AS "_dup"
    FROM "t1" AS "t3"
    LEFT OUTER JOIN (
      SELECT
        "t11"."_record" AS "_later_record"
      FROM (
        SELECT
          "t10"."_record",
          "t10"."student_id",
          "t10"."gender",
          "t10"."_ok",
          ROW_NUMBER() OVER (
            PARTITION BY "t10"."student_id"
            ORDER BY "t10"."_record" ASC
            ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
          ) - 1 AS "_rank"
        FROM (
          SELECT
            "t6"."_record",
            "t6"."student_id",
            "t6"."gender",
            "t6"."_ok"
          FROM "t4" AS "t6"
          SEMI JOIN (
            SELECT
              *
            FROM (
              SELECT
                "t5"."student_id",
                COUNT(*) AS "_rows"
              FROM "t4" AS "t5"
              GROUP BY
                1
            ) AS "t7"
            WHERE
              "t7"."_rows" > 1
          ) AS "t9"
            ON "t6"."student_id" = "t9"."student_id"
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
  "t0"."_record",
  "t0"."student_id",
  "t0"."gender",
  "t0"."_record" AS "sid"
FROM "t1" AS "t0"
WHERE
  "t0"."_failed" = 0

-- checks.kept
SELECT
  "t16"."_record",
  "t16"."sid",
  "t16"."sch",
  "t16"."grade_code",
  "t16"."entry",
  "t16"."exit",
  CASE
    WHEN (
      "t16"."student_id" IS NULL
    ) OR (
      "t16"."student_id" = ''
    )
    THEN 1
    WHEN (
      "t16"."school_id" IS NULL
    ) OR (
      "t16"."school_id" = ''
    )
    THEN 2
    WHEN (
      "t16"."grade" IS NULL
    ) OR (
      "t16"."grade" = ''
    )
    THEN 3
    WHEN (
      "t16"."entry_date" IS NULL
    ) OR (
      "t16"."entry_date" = ''
    )
    THEN 4
    WHEN "t16"."_grade" IS NULL
    THEN 5
    WHEN "t16"."entry" IS NULL
    THEN 6
    WHEN (
      "t16"."exit_date" IS NOT NULL
    )
    AND (
      "t16"."exit_date" <> ''
    )
    AND (
      "t16"."exit" IS NULL
    )
    THEN 7
    WHEN "t16"."sid" IS NULL
    THEN 8
    WHEN "t16"."sch" IS NULL
    THEN 9
    WHEN (
      "t16"."exit" IS NOT NULL
    ) AND (
      "t16"."exit" < "t16"."entry"
    )
    THEN 10
    ELSE 0
  END AS "_failed"
FROM (
  SELECT
    "t15"."_record",
    "t15"."student_id",
    "t15"."school_id",
    "t15"."grade",
    "t15"."entry_date",
    "t15"."exit_date",
    "t15"."_grade",
    "t15"."sid",
    "t15"."sch",
    CASE
      WHEN CAST(TRY_CAST("t15"."entry_date" AS DATE) AS TEXT) = "t15"."entry_date"
      THEN TRY_CAST("t15"."entry_date" AS DATE)
      ELSE CAST(NULL AS DATE)
    END AS "entry",
    CASE
      WHEN CAST(TRY_CAST("t15"."exit_date" AS DATE) AS TEXT) = "t15"."exit_date"
      THEN TRY_CAST("t15"."exit_date" AS DATE)
      ELSE CAST(NULL AS DATE)
    END AS "exit",
    "t15"."_grade" AS "grade_code"
  FROM (
    SELECT
      "t14".*
      EXCLUDE ("_school", "_student")
    FROM (
      SELECT
        "t13"."_record",
        "t13"."student_id",
        "t13"."school_id",
        "t13"."grade",
        "t13"."entry_date",
        "t13"."exit_date",
        "t13"."_grade",
        "t7"."_student",
        "t7"."sid",
        "t8"."_school",
        "t8"."sch"
      FROM (
        SELECT
          "t11".*
          EXCLUDE ("_code")
        FROM (
          SELECT
            "t3"."_record",
            "t3"."student_id",
            "t3"."school_id",
            "t3"."grade",
            "t3"."entry_date",
            "t3"."exit_date",
            "t10"."_code",
            "t10"."_grade"
          FROM "raw_enrollments" AS "t3"
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
          ) AS "t10"
            ON UPPER("t3"."grade") = "t10"."_code"
        ) AS "t11"
      ) AS "t13"
      LEFT OUTER JOIN (
        SELECT
          "t0"."student_id" AS "_student",
          "t0"."sid"
        FROM "t2" AS "t0"
      ) AS "t7"
        ON "t13"."student_id" = "t7"."_student"
      LEFT OUTER JOIN (
        SELECT
          "t1"."school_id" AS "_school",
          "t1"."sch"
        FROM "t3" AS "t1"
      ) AS "t8"
        ON "t13"."school_id" = "t8"."_school"
    ) AS "t14"
  ) AS "t15"
) AS "t16"

-- pipeline.read
SELECT
  "t2"."_record",
  "t2"."sid",
  "t2"."sch",
  "t2"."entry",
  "t2"."exit",
  "t2"."grade_code" AS "grade"
FROM (
  SELECT
    "t1".*
    EXCLUDE ("_failed")
  FROM (
    SELECT
      *
    FROM "t4" AS "t0"
    WHERE
      "t0"."_failed" = 0
  ) AS "t1"
) AS "t2"

-- checks.kept
SELECT
  "t7"."_record",
  "t7"."sch",
  "t7"."date_value",
  CASE
    WHEN (
      "t7"."school_id" IS NULL
    ) OR (
      "t7"."school_id" = ''
    )
    THEN 1
    WHEN (
      "t7"."date" IS NULL
    ) OR (
      "t7"."date" = ''
    )
    THEN 2
    WHEN "t7"."date_value" IS NULL
    THEN 3
    WHEN "t7"."sch" IS NULL
    THEN 4
    ELSE 0
  END AS "_failed"
FROM (
  SELECT
    "t6"."_record",
    "t6"."school_id",
    "t6"."date",
    "t6"."sch",
    CASE
      WHEN CAST(TRY_CAST("t6"."date" AS DATE) AS TEXT) = "t6"."date"
      THEN TRY_CAST("t6"."date" AS DATE)
      ELSE CAST(NULL AS DATE)
    END AS "date_value"
  FROM (
    SELECT
      "t5".*
      EXCLUDE ("_school")
    FROM (
      SELECT
        "t2"."_record",
        "t2"."school_id",
        "t2"."date",
        "t4"."_school",
        "t4"."sch"
      FROM "raw_calendar" AS "t2"
      LEFT OUTER JOIN (
        SELECT
          "t1"."school_id" AS "_school",
          "t1"."sch"
        FROM "t3" AS "t1"
      ) AS "t4"
        ON "t2"."school_id" = "t4"."_school"
    ) AS "t5"
  ) AS "t6"
) AS "t7"

-- checks.kept
SELECT
  "t13"."_record",
  "t13"."sid",
  "t13"."sch",
  "t13"."date_value",
  "t13"."status_code",
  "t13"."is_absence",
  "t13"."precedence",
  "t13"."fraction",
  CASE
    WHEN (
      "t13"."student_id" IS NULL
    ) OR (
      "t13"."student_id" = ''
    )
    THEN 1
    WHEN (
      "t13"."school_id" IS NULL
    ) OR (
      "t13"."school_id" = ''
    )
    THEN 2
    WHEN (
      "t13"."date" IS NULL
    ) OR (
      "t13"."date" = ''
    )
    THEN 3
    WHEN (
      "t13"."status" IS NULL
    ) OR (
      "t13"."status" = ''
    )
    THEN 4
    WHEN "t13"."date_value" IS NULL
    THEN 5
    WHEN "t13"."_status" IS NULL
    THEN 6
    WHEN "t13"."_given"
    AND (
      (
        "t13"."fraction" IS NULL
      ) OR (
        "t13"."fraction" > 1000000
      )
    )
    THEN 7
    WHEN "t13"."_given" AND (
      "t13"."_is_absence" = (
        "t13"."fraction" = 0
      )
    )
    THEN 8
    WHEN "t13"."sid" IS NULL
    THEN 9
    WHEN "t13"."sch" IS NULL
    THEN 10
    ELSE 0
  END AS "_failed"
FROM (
  SELECT
    "t12"."_record",
    "t12"."student_id",
    "t12"."school_id",
    "t12"."date",
    "t12"."status",
    "t12"."absent_fraction",
    "t12"."_status",
    "t12"."_is_absence",
    "t12"."_precedence",
    "t12"."sid",
    "t12"."sch",
    CASE
      WHEN CAST(TRY_CAST("t12"."date" AS DATE) AS TEXT) = "t12"."date"
      THEN TRY_CAST("t12"."date" AS DATE)
      ELSE CAST(NULL AS DATE)
    END AS "date_value",
    (
      "t12"."absent_fraction" IS NOT NULL
    ) AND (
      "t12"."absent_fraction" <> ''
    ) AS "_given",
    CASE
      WHEN (
        "t12"."absent_fraction" IS NOT NULL
      ) AND (
        "t12"."absent_fraction" <> ''
      )
      THEN CASE
        WHEN REGEXP_MATCHES("t12"."absent_fraction", '^([0-9]+\.?[0-9]*|\.[0-9]+)$')
        THEN CAST(TRY_CAST("t12"."absent_fraction" AS DECIMAL(18, 6)) * 1000000 AS BIGINT)
        ELSE CAST(NULL AS BIGINT)
      END
      WHEN "t12"."_is_absence"
      THEN 1000000
      ELSE 0
    END AS "fraction",
    "t12"."_status" AS "status_code",
    "t12"."_is_absence" AS "is_absence",
    "t12"."_precedence" AS "precedence"
  FROM (
    SELECT
      "t11".*
      EXCLUDE ("_school", "_student")
    FROM (
      SELECT
        "t3"."_record",
        "t3"."student_id",
        "t3"."school_id",
        "t3"."date",
        "t3"."status",
        "t3"."absent_fraction",
        "t10"."_status",
        "t10"."_is_absence",
        "t10"."_precedence",
        "t7"."_student",
        "t7"."sid",
        "t8"."_school",
        "t8"."sch"
      FROM "raw_attendance" AS "t3"
      LEFT OUTER JOIN (
        SELECT
          "t6"."_row"."_status" AS "_status",
          "t6"."_row"."_is_absence" AS "_is_absence",
          "t6"."_row"."_precedence" AS "_precedence"
        FROM (
          SELECT
            UNNEST(
              [
                CAST(ROW('suspension', TRUE, 0) AS STRUCT("_status" TEXT, "_is_absence" BOOLEAN, "_precedence" BIGINT)),
                CAST(ROW('unexcused', TRUE, 1) AS STRUCT("_status" TEXT, "_is_absence" BOOLEAN, "_precedence" BIGINT)),
                CAST(ROW('excused', TRUE, 2) AS STRUCT("_status" TEXT, "_is_absence" BOOLEAN, "_precedence" BIGINT)),
                CAST(ROW('present', FALSE, 3) AS STRUCT("_status" TEXT, "_is_absence" BOOLEAN, "_precedence" BIGINT)),
                CAST(ROW('tardy', FALSE, 3) AS STRUCT("_status" TEXT, "_is_absence" BOOLEAN, "_precedence" BIGINT)),
                CAST(ROW('early_departure', FALSE, 3) AS STRUCT("_status" TEXT, "_is_absence" BOOLEAN, "_precedence" BIGINT)),
                CAST(ROW('in_school_suspension', FALSE, 3) AS STRUCT("_status" TEXT, "_is_absence" BOOLEAN, "_precedence" BIGINT))
              ]
            ) AS "_row"
        ) AS "t6"
      ) AS "t10"
        ON LOWER("t3"."status") = "t10"."_status"
      LEFT OUTER JOIN (
        SELECT
          "t1"."student_id" AS "_student",
          "t1"."sid"
        FROM "t2" AS "t1"
      ) AS "t7"
        ON "t3"."student_id" = "t7"."_student"
      LEFT OUTER JOIN (
        SELECT
          "t2"."school_id" AS "_school",
          "t2"."sch"
        FROM "t3" AS "t2"
      ) AS "t8"
        ON "t3"."school_id" = "t8"."_school"
    ) AS "t11"
  ) AS "t12"
) AS "t13"

-- pipeline.read
SELECT
  'attendance.csv' AS "file",
  "t4"."_refused_record" AS "record",
  CAST(NULL AS TEXT) AS "source_file",
  CAST(NULL AS BIGINT) AS "source_line",
  CASE
    WHEN "t4"."_failed" = 1
    THEN 'student_id'
    WHEN "t4"."_failed" = 2
    THEN 'school_id'
    WHEN "t4"."_failed" = 3
    THEN 'date'
    WHEN "t4"."_failed" = 4
    THEN 'status'
    WHEN "t4"."_failed" = 5
    THEN 'date'
    WHEN "t4"."_failed" = 6
    THEN 'status'
    WHEN "t4"."_failed" = 7
    THEN 'absent_fraction'
    WHEN "t4"."_failed" = 8
    THEN 'absent_fraction'
    WHEN "t4"."_failed" = 9
    THEN 'student_id'
    WHEN "t4"."_failed" = 10
    THEN 'school_id'
    ELSE NULL
  END AS "column",
  CASE
    WHEN "t4"."_failed" = 1
    THEN COALESCE("t2"."student_id", '')
    WHEN "t4"."_failed" = 2
    THEN COALESCE("t2"."school_id", '')
    WHEN "t4"."_failed" = 3
    THEN COALESCE("t2"."date", '')
    WHEN "t4"."_failed" = 4
    THEN COALESCE("t2"."status", '')
    WHEN "t4"."_failed" = 5
    THEN COALESCE("t2"."date", '')
    WHEN "t4"."_failed" = 6
    THEN COALESCE("t2"."status", '')
    WHEN "t4"."_failed" = 7
    THEN COALESCE("t2"."absent_fraction", '')
    WHEN "t4"."_failed" = 8
    THEN COALESCE("t2"."absent_fraction", '')
    WHEN "t4"."_failed" = 9
    THEN COALESCE("t2"."student_id", '')
    WHEN "t4"."_failed" = 10
    THEN COALESCE("t2"."school_id", '')
    ELSE NULL
  END AS "value",
  CASE
    WHEN "t4"."_failed" = 1
    THEN 'missing value'
    WHEN "t4"."_failed" = 2
    THEN 'missing value'
    WHEN "t4"."_failed" = 3
    THEN 'missing value'
    WHEN "t4"."_failed" = 4
    THEN 'missing value'
    WHEN "t4"."_failed" = 5
    THEN 'invalid date'
    WHEN "t4"."_failed" = 6
    THEN 'unknown status'
    WHEN "t4"."_failed" = 7
    THEN 'invalid fraction'
    WHEN "t4"."_failed" = 8
    THEN 'fraction contradicts status'
    WHEN "t4"."_failed" = 9
    THEN 'unknown student'
    WHEN "t4"."_failed" = 10
    THEN 'unknown school'
    ELSE NULL
  END AS "reason"
FROM (
  SELECT
    "t0"."_record" AS "_refused_record",
    "t0"."_failed"
  FROM "t5" AS "t0"
  WHERE
    "t0"."_failed" > 0
) AS "t4"
INNER JOIN "raw_attendance" AS "t2"
  ON "t4"."_refused_record" = "t2"."_record"

-- checks.kept
WITH "t2" AS (
  SELECT
    "t0"."_record",
    "t0"."sch",
    "t0"."date_value",
    TRUE AS "_ok"
  FROM "t6" AS "t0"
  WHERE
    "t0"."_failed" = 0
    AND "t0"."date_value" BETWEEN MAKE_DATE(2024, 7, 1) AND MAKE_DATE(2025, 6, 30)
    AND TRUE
)
SELECT
  "t14"."_record",
  "t14"."sch",
  "t14"."date_value",
  CASE WHEN "t14"."_dup" THEN 1 ELSE 0 END AS "_failed"
FROM (
  SELECT
    "t13".*
    EXCLUDE ("_ok")
  FROM (
    SELECT
      "t3"."_record",
      "t3"."sch",
      "t3"."date_value",
      "t3"."_ok",
      "t12"."_later_record" IS NOT NULL AS "_dup"
    FROM (
      SELECT
        "t0"."_record",
        "t0"."sch",
        "t0"."date_value",
        TRUE AS "_ok"
      FROM "t6" AS "t0"
      WHERE
        "t0"."_failed" = 0
        AND "t0"."date_value" BETWEEN MAKE_DATE(2024, 7, 1) AND MAKE_DATE(2025, 6, 30)
    ) AS "t3"
    LEFT OUTER JOIN (
      SELECT
        "t10"."_record" AS "_later_record"
      FROM (
        SELECT
          "t9"."_record",
          "t9"."sch",
          "t9"."date_value",
          "t9"."_ok",
          ROW_NUMBER() OVER (
            PARTITION BY "t9"."sch", "t9"."date_value"
            ORDER BY "t9"."_record" ASC
            ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
          ) - 1 AS "_rank"
        FROM (
          SELECT
            "t5"."_record",
            "t5"."sch",
            "t5"."date_value",
            "t5"."_ok"
          FROM "t2" AS "t5"
          SEMI JOIN (
            SELECT
              *
            FROM (
              SELECT
                "t4"."sch",
                "t4"."date_value",
                COUNT(*) AS "_rows"
              FROM "t2" AS "t4"
              GROUP BY
                1,
                2
            ) AS "t6"
            WHERE
              "t6"."_rows" > 1
          ) AS "t8"
            ON "t5"."sch" = "t8"."sch" AND "t5"."date_value" = "t8"."date_value"
        ) AS "t9"
      ) AS "t10"
      WHERE
        "t10"."_rank" > 0
    ) AS "t12"
      ON "t3"."_record" = "t12"."_later_record"
  ) AS "t13"
) AS "t14"

-- pipeline._one_year
SELECT
  "t0"."sch",
  "t0"."date_value" AS "date"
FROM "t7" AS "t0"
WHERE
  "t0"."_failed" = 0

-- pipeline._one_year
SELECT
  "t8"."sch",
  "t8"."date",
  "t8"."school_day",
  SUM("t8"."school_day") OVER (
    PARTITION BY "t8"."sch"
    ORDER BY "t8"."date" ASC
    ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
  ) AS "running"
FROM (
  SELECT
    "t4"."sch",
    "t7"."date",
    CASE WHEN "t5"."_school" IS NOT NULL THEN 1 ELSE 0 END AS "school_day"
  FROM (
    SELECT DISTINCT
      "t0"."sch"
    FROM "t8" AS "t0"
  ) AS "t4"
  CROSS JOIN (
    SELECT
      CAST("t3"."_date" AS DATE) AS "date"
    FROM (
      SELECT
        UNNEST(
          [
            '2024-07-01',
            '2024-07-02',
            '2024-07-03',
            '2024-07-04',
            '2024-07-05',
            '2024-07-06',
            '2024-07-07',
            '2024-07-08',
            '2024-07-09',
            '2024-07-10',
            '2024-07-11',
            '2024-07-12',
            '2024-07-13',
            '2024-07-14',
            '2024-07-15',
            '2024-07-16',
            '2024-07-17',
            '2024-07-18',
            '2024-07-19',
            '2024-07-20',
            '2024-07-21',
            '2024-07-22',
            '2024-07-23',
            '2024-07-24',
            '2024-07-25',
            '2024-07-26',
            '2024-07-27',
            '2024-07-28',
            '2024-07-29',
            '2024-07-30',
            '2024-07-31',
            '2024-08-01',
            '2024-08-02',
            '2024-08-03',
            '2024-08-04',
            '2024-08-05',
            '2024-08-06',
            '2024-08-07',
            '2024-08-08',
            '2024-08-09',
            '2024-08-10',
            '2024-08-11',
            '2024-08-12',
            '2024-08-13',
            '2024-08-14',
            '2024-08-15',
            '2024-08-16',
            '2024-08-17',
            '2024-08-18',
            '2024-08-19',
            '2024-08-20',
            '2024-08-21',
            '2024-08-22',
            '2024-08-23',
            '2024-08-24',
            '2024-08-25',
            '2024-08-26',
            '2024-08-27',
            '2024-08-28',
            '2024-08-29',
            '2024-08-30',
            '2024-08-31',
            '2024-09-01',
            '2024-09-02',
            '2024-09-03',
            '2024-09-04',
            '2024-09-05',
            '2024-09-06',
            '2024-09-07',
            '2024-09-08',
            '2024-09-09',
            '2024-09-10',
            '2024-09-11',
            '2024-09-12',
            '2024-09-13',
            '2024-09-14',
            '2024-09-15',
            '2024-09-16',
            '2024-09-17',
            '2024-09-18',
            '2024-09-19',
            '2024-09-20',
            '2024-09-21',
            '2024-09-22',
            '2024-09-23',
            '2024-09-24',
            '2024-09-25',
            '2024-09-26',
            '2024-09-27',
            '2024-09-28',
            '2024-09-29',
            '2024-09-30',
            '2024-10-01',
            '2024-10-02',
            '2024-10-03',
            '2024-10-04',
            '2024-10-05',
            '2024-10-06',
            '2024-10-07',
            '2024-10-08',
            '2024-10-09',
            '2024-10-10',
            '2024-10-11',
            '2024-10-12',
            '2024-10-13',
            '2024-10-14',
            '2024-10-15',
            '2024-10-16',
            '2024-10-17',
            '2024-10-18',
            '2024-10-19',
            '2024-10-20',
            '2024-10-21',
            '2024-10-22',
            '2024-10-23',
            '2024-10-24',
            '2024-10-25',
            '2024-10-26',
            '2024-10-27',
            '2024-10-28',
            '2024-10-29',
            '2024-10-30',
            '2024-10-31',
            '2024-11-01',
            '2024-11-02',
            '2024-11-03',
            '2024-11-04',
            '2024-11-05',
            '2024-11-06',
            '2024-11-07',
            '2024-11-08',
            '2024-11-09',
            '2024-11-10',
            '2024-11-11',
            '2024-11-12',
            '2024-11-13',
            '2024-11-14',
            '2024-11-15',
            '2024-11-16',
            '2024-11-17',
            '2024-11-18',
            '2024-11-19',
            '2024-11-20',
            '2024-11-21',
            '2024-11-22',
            '2024-11-23',
            '2024-11-24',
            '2024-11-25',
            '2024-11-26',
            '2024-11-27',
            '2024-11-28',
            '2024-11-29',
            '2024-11-30',
            '2024-12-01',
            '2024-12-02',
            '2024-12-03',
            '2024-12-04',
            '2024-12-05',
            '2024-12-06',
            '2024-12-07',
            '2024-12-08',
            '2024-12-09',
            '2024-12-10',
            '2024-12-11',
            '2024-12-12',
            '2024-12-13',
            '2024-12-14',
            '2024-12-15',
            '2024-12-16',
            '2024-12-17',
            '2024-12-18',
            '2024-12-19',
            '2024-12-20',
            '2024-12-21',
            '2024-12-22',
            '2024-12-23',
            '2024-12-24',
            '2024-12-25',
            '2024-12-26',
            '2024-12-27',
            '2024-12-28',
            '2024-12-29',
            '2024-12-30',
            '2024-12-31',
            '2025-01-01',
            '2025-01-02',
            '2025-01-03',
            '2025-01-04',
            '2025-01-05',
            '2025-01-06',
            '2025-01-07',
            '2025-01-08',
            '2025-01-09',
            '2025-01-10',
            '2025-01-11',
            '2025-01-12',
            '2025-01-13',
            '2025-01-14',
            '2025-01-15',
            '2025-01-16',
            '2025-01-17',
            '2025-01-18',
            '2025-01-19',
            '2025-01-20',
            '2025-01-21',
            '2025-01-22',
            '2025-01-23',
            '2025-01-24',
            '2025-01-25',
            '2025-01-26',
            '2025-01-27',
            '2025-01-28',
            '2025-01-29',
            '2025-01-30',
            '2025-01-31',
            '2025-02-01',
            '2025-02-02',
            '2025-02-03',
            '2025-02-04',
            '2025-02-05',
            '2025-02-06',
            '2025-02-07',
            '2025-02-08',
            '2025-02-09',
            '2025-02-10',
            '2025-02-11',
            '2025-02-12',
            '2025-02-13',
            '2025-02-14',
            '2025-02-15',
            '2025-02-16',
            '2025-02-17',
            '2025-02-18',
            '2025-02-19',
            '2025-02-20',
            '2025-02-21',
            '2025-02-22',
            '2025-02-23',
            '2025-02-24',
            '2025-02-25',
            '2025-02-26',
            '2025-02-27',
            '2025-02-28',
            '2025-03-01',
            '2025-03-02',
            '2025-03-03',
            '2025-03-04',
            '2025-03-05',
            '2025-03-06',
            '2025-03-07',
            '2025-03-08',
            '2025-03-09',
            '2025-03-10',
            '2025-03-11',
            '2025-03-12',
            '2025-03-13',
            '2025-03-14',
            '2025-03-15',
            '2025-03-16',
            '2025-03-17',
            '2025-03-18',
            '2025-03-19',
            '2025-03-20',
            '2025-03-21',
            '2025-03-22',
            '2025-03-23',
            '2025-03-24',
            '2025-03-25',
            '2025-03-26',
            '2025-03-27',
            '2025-03-28',
            '2025-03-29',
            '2025-03-30',
            '2025-03-31',
            '2025-04-01',
            '2025-04-02',
            '2025-04-03',
            '2025-04-04',
            '2025-04-05',
            '2025-04-06',
            '2025-04-07',
            '2025-04-08',
            '2025-04-09',
            '2025-04-10',
            '2025-04-11',
            '2025-04-12',
            '2025-04-13',
            '2025-04-14',
            '2025-04-15',
            '2025-04-16',
            '2025-04-17',
            '2025-04-18',
            '2025-04-19',
            '2025-04-20',
            '2025-04-21',
            '2025-04-22',
            '2025-04-23',
            '2025-04-24',
            '2025-04-25',
            '2025-04-26',
            '2025-04-27',
            '2025-04-28',
            '2025-04-29',
            '2025-04-30',
            '2025-05-01',
            '2025-05-02',
            '2025-05-03',
            '2025-05-04',
            '2025-05-05',
            '2025-05-06',
            '2025-05-07',
            '2025-05-08',
            '2025-05-09',
            '2025-05-10',
            '2025-05-11',
            '2025-05-12',
            '2025-05-13',
            '2025-05-14',
            '2025-05-15',
            '2025-05-16',
            '2025-05-17',
            '2025-05-18',
            '2025-05-19',
            '2025-05-20',
            '2025-05-21',
            '2025-05-22',
            '2025-05-23',
            '2025-05-24',
            '2025-05-25',
            '2025-05-26',
            '2025-05-27',
            '2025-05-28',
            '2025-05-29',
            '2025-05-30',
            '2025-05-31',
            '2025-06-01',
            '2025-06-02',
            '2025-06-03',
            '2025-06-04',
            '2025-06-05',
            '2025-06-06',
            '2025-06-07',
            '2025-06-08',
            '2025-06-09',
            '2025-06-10',
            '2025-06-11',
            '2025-06-12',
            '2025-06-13',
            '2025-06-14',
            '2025-06-15',
            '2025-06-16',
            '2025-06-17',
            '2025-06-18',
            '2025-06-19',
            '2025-06-20',
            '2025-06-21',
            '2025-06-22',
            '2025-06-23',
            '2025-06-24',
            '2025-06-25',
            '2025-06-26',
            '2025-06-27',
            '2025-06-28',
            '2025-06-29',
            '2025-06-30'
          ]
        ) AS "_date"
    ) AS "t3"
  ) AS "t7"
  LEFT OUTER JOIN (
    SELECT
      "t0"."sch" AS "_school",
      "t0"."date" AS "_date"
    FROM "t8" AS "t0"
  ) AS "t5"
    ON "t4"."sch" = "t5"."_school" AND "t7"."date" = "t5"."_date"
) AS "t8"

-- pipeline._one_year
SELECT
  "t8"."_record",
  "t8"."sid",
  "t8"."sch",
  "t8"."entry",
  "t8"."exit",
  "t8"."grade",
  "t8"."start",
  "t8"."end",
  (
    "t8"."_e_running" - "t8"."_s_running"
  ) + "t8"."_s_day" AS "days"
FROM (
  SELECT
    "t7"."_record",
    "t7"."sid",
    "t7"."sch",
    "t7"."entry",
    "t7"."exit",
    "t7"."grade",
    "t7"."start",
    "t7"."end",
    "t5"."_s_school",
    "t5"."_s_date",
    "t5"."_s_running",
    "t5"."_s_day",
    "t4"."_e_school",
    "t4"."_e_date",
    "t4"."_e_running"
  FROM (
    SELECT
      "t0"."_record",
      "t0"."sid",
      "t0"."sch",
      "t0"."entry",
      "t0"."exit",
      "t0"."grade",
      GREATEST("t0"."entry", MAKE_DATE(2024, 7, 1)) AS "start",
      LEAST(COALESCE("t0"."exit", MAKE_DATE(2025, 6, 30)), MAKE_DATE(2025, 6, 30)) AS "end"
    FROM "t9" AS "t0"
    WHERE
      GREATEST("t0"."entry", MAKE_DATE(2024, 7, 1)) <= LEAST(COALESCE("t0"."exit", MAKE_DATE(2025, 6, 30)), MAKE_DATE(2025, 6, 30))
  ) AS "t7"
  INNER JOIN (
    SELECT
      "t1"."sch" AS "_s_school",
      "t1"."date" AS "_s_date",
      "t1"."running" AS "_s_running",
      "t1"."school_day" AS "_s_day"
    FROM "t10" AS "t1"
  ) AS "t5"
    ON "t7"."sch" = "t5"."_s_school" AND "t7"."start" = "t5"."_s_date"
  INNER JOIN (
    SELECT
      "t1"."sch" AS "_e_school",
      "t1"."date" AS "_e_date",
      "t1"."running" AS "_e_running"
    FROM "t10" AS "t1"
  ) AS "t4"
    ON "t7"."sch" = "t4"."_e_school" AND "t7"."end" = "t4"."_e_date"
) AS "t8"

-- pipeline._one_year
SELECT
  "t14"."sid",
  "t14"."sch",
  "t14"."start",
  "t14"."end",
  (
    "t14"."_e_running" - "t14"."_s_running"
  ) + "t14"."_s_day" AS "days"
FROM (
  SELECT
    "t13"."sid",
    "t13"."sch",
    "t13"."start",
    "t13"."end",
    "t5"."_s_school",
    "t5"."_s_date",
    "t5"."_s_running",
    "t5"."_s_day",
    "t4"."_e_school",
    "t4"."_e_date",
    "t4"."_e_running"
  FROM (
    SELECT
      "t11".*
      EXCLUDE ("_island")
    FROM (
      SELECT
        "t10"."sid",
        "t10"."sch",
        "t10"."_island",
        MIN("t10"."start") AS "start",
        MAX("t10"."end") AS "end"
      FROM (
        SELECT
          "t9"."_record",
          "t9"."sid",
          "t9"."sch",
          "t9"."entry",
          "t9"."exit",
          "t9"."grade",
          "t9"."start",
          "t9"."end",
          "t9"."_reach",
          "t9"."_before",
          "t9"."_new",
          SUM("t9"."_new") OVER (
            PARTITION BY "t9"."sid", "t9"."sch"
            ORDER BY "t9"."start" ASC, "t9"."end" ASC
            ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
          ) AS "_island"
        FROM (
          SELECT
            "t8"."_record",
            "t8"."sid",
            "t8"."sch",
            "t8"."entry",
            "t8"."exit",
            "t8"."grade",
            "t8"."start",
            "t8"."end",
            "t8"."_reach",
            "t8"."_before",
            CASE
              WHEN (
                "t8"."_before" IS NULL
              ) OR (
                "t8"."start" > "t8"."_before"
              )
              THEN 1
              ELSE 0
            END AS "_new"
          FROM (
            SELECT
              "t7"."_record",
              "t7"."sid",
              "t7"."sch",
              "t7"."entry",
              "t7"."exit",
              "t7"."grade",
              "t7"."start",
              "t7"."end",
              "t7"."_reach",
              LAG("t7"."_reach") OVER (
                PARTITION BY "t7"."sid", "t7"."sch"
                ORDER BY "t7"."start" ASC, "t7"."end" ASC
                ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
              ) AS "_before"
            FROM (
              SELECT
                "t6"."_record",
                "t6"."sid",
                "t6"."sch",
                "t6"."entry",
                "t6"."exit",
                "t6"."grade",
                "t6"."start",
                "t6"."end",
                MAX("t6"."end") OVER (
                  PARTITION BY "t6"."sid", "t6"."sch"
                  ORDER BY "t6"."start" ASC, "t6"."end" ASC
                  ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
                ) AS "_reach"
              FROM (
                SELECT
                  "t1"."_record",
                  "t1"."sid",
                  "t1"."sch",
                  "t1"."entry",
                  "t1"."exit",
                  "t1"."grade",
                  GREATEST("t1"."entry", MAKE_DATE(2024, 7, 1)) AS "start",
                  LEAST(COALESCE("t1"."exit", MAKE_DATE(2025, 6, 30)), MAKE_DATE(2025, 6, 30)) AS "end"
                FROM "t9" AS "t1"
                WHERE
                  GREATEST("t1"."entry", MAKE_DATE(2024, 7, 1)) <= LEAST(COALESCE("t1"."exit", MAKE_DATE(2025, 6, 30)), MAKE_DATE(2025, 6, 30))
              ) AS "t6"
            ) AS "t7"
          ) AS "t8"
        ) AS "t9"
      ) AS "t10"
      GROUP BY
        1,
        2,
        3
    ) AS "t11"
  ) AS "t13"
  INNER JOIN (
    SELECT
      "t0"."sch" AS "_s_school",
      "t0"."date" AS "_s_date",
      "t0"."running" AS "_s_running",
      "t0"."school_day" AS "_s_day"
    FROM "t10" AS "t0"
  ) AS "t5"
    ON "t13"."sch" = "t5"."_s_school" AND "t13"."start" = "t5"."_s_date"
  INNER JOIN (
    SELECT
      "t0"."sch" AS "_e_school",
      "t0"."date" AS "_e_date",
      "t0"."running" AS "_e_running"
    FROM "t10" AS "t0"
  ) AS "t4"
    ON "t13"."sch" = "t4"."_e_school" AND "t13"."end" = "t4"."_e_date"
) AS "t14"

-- checks.kept
WITH "t11" AS (
  SELECT
    "t10"."_record",
    "t10"."sid",
    "t10"."sch",
    "t10"."date_value",
    "t10"."status_code",
    "t10"."is_absence",
    "t10"."precedence",
    "t10"."fraction",
    "t5"."_day" IS NOT NULL AS "_on_day",
    "t6"."_span_start" IS NOT NULL AS "_enrolled"
  FROM (
    SELECT
      *
    FROM (
      SELECT
        "t7".*
        EXCLUDE ("_failed")
      FROM (
        SELECT
          *
        FROM "t5" AS "t2"
        WHERE
          "t2"."_failed" = 0
      ) AS "t7"
    ) AS "t8"
    WHERE
      "t8"."date_value" BETWEEN MAKE_DATE(2024, 7, 1) AND MAKE_DATE(2025, 6, 30)
  ) AS "t10"
  LEFT OUTER JOIN (
    SELECT
      "t0"."sch" AS "_day_school",
      "t0"."date" AS "_day"
    FROM "t8" AS "t0"
  ) AS "t5"
    ON "t10"."sch" = "t5"."_day_school" AND "t10"."date_value" = "t5"."_day"
  LEFT OUTER JOIN (
    SELECT
      "t1"."sid" AS "_span_student",
      "t1"."sch" AS "_span_school",
      "t1"."start" AS "_span_start",
      "t1"."end" AS "_span_end"
    FROM "t11" AS "t1"
  ) AS "t6"
    ON "t10"."sid" = "t6"."_span_student"
    AND "t10"."sch" = "t6"."_span_school"
    AND "t10"."date_value" >= "t6"."_span_start"
    AND "t10"."date_value" <= "t6"."_span_end"
), "t14" AS (
  SELECT
    "t12"."_record",
    "t12"."sid",
    "t12"."sch",
    "t12"."date_value",
    "t12"."status_code",
    "t12"."is_absence",
    "t12"."precedence",
    "t12"."fraction",
    "t12"."_on_day",
    "t12"."_enrolled",
    "t12"."_on_day" AND "t12"."_enrolled" AS "_ok"
  FROM "t11" AS "t12"
  WHERE
    "t12"."_on_day" AND "t12"."_enrolled"
)
SELECT
  "t26"."_record",
  "t26"."sid",
  "t26"."sch",
  "t26"."date_value",
  "t26"."status_code",
  "t26"."is_absence",
  "t26"."precedence",
  "t26"."fraction",
  CASE
    WHEN NOT (
      "t26"."_on_day"
    )
    THEN 1
    WHEN NOT (
      "t26"."_enrolled"
    )
    THEN 2
    WHEN "t26"."_dup"
    THEN 3
    ELSE 0
  END AS "_failed"
FROM (
  SELECT
    "t25".*
    EXCLUDE ("_ok")
  FROM (
    SELECT
      "t15"."_record",
      "t15"."sid",
      "t15"."sch",
      "t15"."date_value",
      "t15"."status_code",
      "t15"."is_absence",
      "t15"."precedence",
      "t15"."fraction",
      "t15"."_on_day",
      "t15"."_enrolled",
      "t15"."_ok",
      "t24"."_later_record" IS NOT NULL AS "_dup"
    FROM (
      SELECT
        "t12"."_record",
        "t12"."sid",
        "t12"."sch",
        "t12"."date_value",
        "t12"."status_code",
        "t12"."is_absence",
        "t12"."precedence",
        "t12"."fraction",
        "t12"."_on_day",
        "t12"."_enrolled",
        "t12"."_on_day" AND "t12"."_enrolled" AS "_ok"
      FROM "t11" AS "t12"
    ) AS "t15"
    LEFT OUTER JOIN (
      SELECT
        "t22"."_record" AS "_later_record"
      FROM (
        SELECT
          "t21"."_record",
          "t21"."sid",
          "t21"."sch",
          "t21"."date_value",
          "t21"."status_code",
          "t21"."is_absence",
          "t21"."precedence",
          "t21"."fraction",
          "t21"."_on_day",
          "t21"."_enrolled",
          "t21"."_ok",
          ROW_NUMBER() OVER (
            PARTITION BY "t21"."sid", "t21"."sch", "t21"."date_value"
            ORDER BY "t21"."fraction" DESC, "t21"."precedence" ASC, "t21"."_record" ASC
            ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
          ) - 1 AS "_rank"
        FROM (
          SELECT
            "t17"."_record",
            "t17"."sid",
            "t17"."sch",
            "t17"."date_value",
            "t17"."status_code",
            "t17"."is_absence",
            "t17"."precedence",
            "t17"."fraction",
            "t17"."_on_day",
            "t17"."_enrolled",
            "t17"."_ok"
          FROM "t14" AS "t17"
          SEMI JOIN (
            SELECT
              *
            FROM (
              SELECT
                "t16"."sid",
                "t16"."sch",
                "t16"."date_value",
                COUNT(*) AS "_rows"
              FROM "t14" AS "t16"
              GROUP BY
                1,
                2,
                3
            ) AS "t18"
            WHERE
              "t18"."_rows" > 1
          ) AS "t20"
            ON "t17"."sid" = "t20"."sid"
            AND "t17"."sch" = "t20"."sch"
            AND "t17"."date_value" = "t20"."date_value"
        ) AS "t21"
      ) AS "t22"
      WHERE
        "t22"."_rank" > 0
    ) AS "t24"
      ON "t15"."_record" = "t24"."_later_record"
  ) AS "t25"
) AS "t26"

-- pipeline._one_year
SELECT
  *
FROM "t12" AS "t0"
UNION ALL
SELECT
  *
FROM (
  SELECT
    'attendance.csv' AS "file",
    "t5"."_refused_record" AS "record",
    CAST(NULL AS TEXT) AS "source_file",
    CAST(NULL AS BIGINT) AS "source_line",
    CASE
      WHEN "t5"."_failed" = 1
      THEN 'date'
      WHEN "t5"."_failed" = 2
      THEN 'date'
      WHEN "t5"."_failed" = 3
      THEN 'date'
      ELSE NULL
    END AS "column",
    CASE
      WHEN "t5"."_failed" = 1
      THEN COALESCE("t3"."date", '')
      WHEN "t5"."_failed" = 2
      THEN COALESCE("t3"."date", '')
      WHEN "t5"."_failed" = 3
      THEN COALESCE("t3"."date", '')
      ELSE NULL
    END AS "value",
    CASE
      WHEN "t5"."_failed" = 1
      THEN 'not an instructional day'
      WHEN "t5"."_failed" = 2
      THEN 'not enrolled on this date'
      WHEN "t5"."_failed" = 3
      THEN 'duplicate'
      ELSE NULL
    END AS "reason"
  FROM (
    SELECT
      "t1"."_record" AS "_refused_record",
      "t1"."_failed"
    FROM "t13" AS "t1"
    WHERE
      "t1"."_failed" > 0
  ) AS "t5"
  INNER JOIN "raw_attendance" AS "t3"
    ON "t5"."_refused_record" = "t3"."_record"
) AS "t6"

-- pipeline._one_year
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

-- pipeline._one_year
SELECT
  "t6"."sid",
  "t6"."sch",
  "t6"."days_enrolled",
  COALESCE("t9"."days_absent", 0) AS "days_absent",
  COALESCE("t9"."days_excused", 0) AS "days_excused",
  COALESCE("t9"."days_unexcused", 0) AS "days_unexcused",
  COALESCE("t9"."days_suspension", 0) AS "days_suspension",
  COALESCE("t9"."wholly_absent", 0) AS "wholly_absent"
FROM (
  SELECT
    *
  FROM (
    SELECT
      "t0"."sid",
      "t0"."sch",
      SUM("t0"."days") AS "days_enrolled"
    FROM "t11" AS "t0"
    GROUP BY
      1,
      2
  ) AS "t2"
  WHERE
    "t2"."days_enrolled" > 0
) AS "t6"
LEFT OUTER JOIN (
  SELECT
    "t7"."sid",
    "t7"."sch",
    SUM("t7"."days_absent") AS "days_absent",
    SUM("t7"."days_excused") AS "days_excused",
    SUM("t7"."days_unexcused") AS "days_unexcused",
    SUM("t7"."days_suspension") AS "days_suspension",
    SUM("t7"."wholly_absent") AS "wholly_absent"
  FROM (
    SELECT
      "t4"."sid",
      "t4"."sch",
      "t4"."date_value" AS "date",
      "t4"."precedence",
      CASE
        WHEN "t4"."is_absence"
        THEN CASE WHEN (
          "t4"."fraction" * 1
        ) >= 1000000 THEN 1000000 ELSE 0 END
        ELSE 0
      END AS "days_absent",
      CASE
        WHEN "t4"."status_code" = 'excused'
        THEN CASE
          WHEN "t4"."is_absence"
          THEN CASE WHEN (
            "t4"."fraction" * 1
          ) >= 1000000 THEN 1000000 ELSE 0 END
          ELSE 0
        END
        ELSE 0
      END AS "days_excused",
      CASE
        WHEN "t4"."status_code" = 'unexcused'
        THEN CASE
          WHEN "t4"."is_absence"
          THEN CASE WHEN (
            "t4"."fraction" * 1
          ) >= 1000000 THEN 1000000 ELSE 0 END
          ELSE 0
        END
        ELSE 0
      END AS "days_unexcused",
      CASE
        WHEN "t4"."status_code" = 'suspension'
        THEN CASE
          WHEN "t4"."is_absence"
          THEN CASE WHEN (
            "t4"."fraction" * 1
          ) >= 1000000 THEN 1000000 ELSE 0 END
          ELSE 0
        END
        ELSE 0
      END AS "days_suspension",
      CASE WHEN "t4"."is_absence" AND (
        "t4"."fraction" = 1000000
      ) THEN 1 ELSE 0 END AS "wholly_absent"
    FROM (
      SELECT
        "t3".*
        EXCLUDE ("_failed")
      FROM (
        SELECT
          *
        FROM "t13" AS "t1"
        WHERE
          "t1"."_failed" = 0
      ) AS "t3"
    ) AS "t4"
  ) AS "t7"
  GROUP BY
    1,
    2
) AS "t9"
  ON "t6"."sid" = "t9"."sid" AND "t6"."sch" = "t9"."sch"

-- pipeline._one_year
WITH "t19" AS (
  SELECT
    "t5"."sid",
    "t5"."sch",
    "t10"."level",
    "t10"."unit_id",
    "t5"."start",
    "t5"."end"
  FROM "t11" AS "t5"
  INNER JOIN (
    SELECT
      *
    FROM "t14" AS "t3"
    WHERE
      "t3"."level" <> 'school'
  ) AS "t10"
    ON "t5"."sch" = "t10"."sch"
  SEMI JOIN (
    SELECT
      *
    FROM (
      SELECT
        "t13"."sid",
        "t13"."level",
        "t13"."unit_id",
        COUNT(DISTINCT "t13"."sch") AS "_schools"
      FROM (
        SELECT
          "t5"."sid",
          "t5"."sch",
          "t10"."level",
          "t10"."unit_id",
          "t5"."start",
          "t5"."end"
        FROM "t11" AS "t5"
        INNER JOIN (
          SELECT
            *
          FROM "t14" AS "t3"
          WHERE
            "t3"."level" <> 'school'
        ) AS "t10"
          ON "t5"."sch" = "t10"."sch"
      ) AS "t13"
      GROUP BY
        1,
        2,
        3
    ) AS "t15"
    WHERE
      "t15"."_schools" >= 2
  ) AS "t18"
    ON "t5"."sid" = "t18"."sid"
    AND "t10"."level" = "t18"."level"
    AND "t10"."unit_id" = "t18"."unit_id"
)
SELECT
  "t35"."sid",
  "t35"."level",
  "t35"."unit_id",
  "t35"."date",
  "t35"."schools" - 1 AS "extra_days",
  "t35"."sum_days_absent" - "t35"."chosen_days_absent" AS "extra_days_absent",
  "t35"."sum_days_excused" - "t35"."chosen_days_excused" AS "extra_days_excused",
  "t35"."sum_days_unexcused" - "t35"."chosen_days_unexcused" AS "extra_days_unexcused",
  "t35"."sum_days_suspension" - "t35"."chosen_days_suspension" AS "extra_days_suspension",
  "t35"."sum_wholly_absent" - "t35"."kept_wholly_absent" AS "extra_wholly_absent"
FROM (
  SELECT
    "t34"."sid",
    "t34"."level",
    "t34"."unit_id",
    "t34"."date",
    COUNT(*) AS "schools",
    SUM("t34"."days_absent") AS "sum_days_absent",
    SUM("t34"."days_excused") AS "sum_days_excused",
    SUM("t34"."days_unexcused") AS "sum_days_unexcused",
    SUM("t34"."days_suspension") AS "sum_days_suspension",
    SUM("t34"."wholly_absent") AS "sum_wholly_absent",
    SUM(CASE WHEN "t34"."_chosen" THEN "t34"."days_absent" ELSE 0 END) AS "chosen_days_absent",
    SUM(CASE WHEN "t34"."_chosen" THEN "t34"."days_excused" ELSE 0 END) AS "chosen_days_excused",
    SUM(CASE WHEN "t34"."_chosen" THEN "t34"."days_unexcused" ELSE 0 END) AS "chosen_days_unexcused",
    SUM(CASE WHEN "t34"."_chosen" THEN "t34"."days_suspension" ELSE 0 END) AS "chosen_days_suspension",
    MIN("t34"."wholly_absent") AS "kept_wholly_absent"
  FROM (
    SELECT
      "t33"."sid",
      "t33"."level",
      "t33"."unit_id",
      "t33"."date",
      "t33"."precedence",
      "t33"."days_absent",
      "t33"."days_excused",
      "t33"."days_unexcused",
      "t33"."days_suspension",
      "t33"."wholly_absent",
      (
        ROW_NUMBER() OVER (
          PARTITION BY "t33"."sid", "t33"."level", "t33"."unit_id", "t33"."date"
          ORDER BY "t33"."days_absent" ASC, "t33"."precedence" ASC
          ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
        ) - 1
      ) = 0 AS "_chosen"
    FROM (
      SELECT
        "t32"."sid",
        "t32"."level",
        "t32"."unit_id",
        "t32"."date",
        COALESCE("t16"."precedence", 3) AS "precedence",
        COALESCE("t16"."days_absent", 0) AS "days_absent",
        COALESCE("t16"."days_excused", 0) AS "days_excused",
        COALESCE("t16"."days_unexcused", 0) AS "days_unexcused",
        COALESCE("t16"."days_suspension", 0) AS "days_suspension",
        COALESCE("t16"."wholly_absent", 0) AS "wholly_absent"
      FROM (
        SELECT
          "t29"."sid",
          "t29"."level",
          "t29"."unit_id",
          "t29"."date",
          "t21"."sch"
        FROM (
          SELECT DISTINCT
            *
          FROM (
            SELECT
              "t25"."sid",
              "t25"."level",
              "t25"."unit_id",
              "t12"."date"
            FROM (
              SELECT
                "t5"."sid",
                "t10"."level",
                "t10"."unit_id",
                GREATEST("t5"."start", "t22"."start") AS "start",
                LEAST("t5"."end", "t22"."end") AS "end"
              FROM "t11" AS "t5"
              INNER JOIN (
                SELECT
                  *
                FROM "t14" AS "t3"
                WHERE
                  "t3"."level" <> 'school'
              ) AS "t10"
                ON "t5"."sch" = "t10"."sch"
              SEMI JOIN (
                SELECT
                  *
                FROM (
                  SELECT
                    "t13"."sid",
                    "t13"."level",
                    "t13"."unit_id",
                    COUNT(DISTINCT "t13"."sch") AS "_schools"
                  FROM (
                    SELECT
                      "t5"."sid",
                      "t5"."sch",
                      "t10"."level",
                      "t10"."unit_id",
                      "t5"."start",
                      "t5"."end"
                    FROM "t11" AS "t5"
                    INNER JOIN (
                      SELECT
                        *
                      FROM "t14" AS "t3"
                      WHERE
                        "t3"."level" <> 'school'
                    ) AS "t10"
                      ON "t5"."sch" = "t10"."sch"
                  ) AS "t13"
                  GROUP BY
                    1,
                    2,
                    3
                ) AS "t15"
                WHERE
                  "t15"."_schools" >= 2
              ) AS "t18"
                ON "t5"."sid" = "t18"."sid"
                AND "t10"."level" = "t18"."level"
                AND "t10"."unit_id" = "t18"."unit_id"
              INNER JOIN "t19" AS "t22"
                ON "t5"."sid" = "t22"."sid"
                AND "t10"."level" = "t22"."level"
                AND "t10"."unit_id" = "t22"."unit_id"
                AND "t5"."sch" < "t22"."sch"
                AND "t5"."start" <= "t22"."end"
                AND "t22"."start" <= "t5"."end"
            ) AS "t25"
            INNER JOIN (
              SELECT
                CAST("t6"."_date" AS DATE) AS "date"
              FROM (
                SELECT
                  UNNEST(
                    [
                      '2024-07-01',
                      '2024-07-02',
                      '2024-07-03',
                      '2024-07-04',
                      '2024-07-05',
                      '2024-07-06',
                      '2024-07-07',
                      '2024-07-08',
                      '2024-07-09',
                      '2024-07-10',
                      '2024-07-11',
                      '2024-07-12',
                      '2024-07-13',
                      '2024-07-14',
                      '2024-07-15',
                      '2024-07-16',
                      '2024-07-17',
                      '2024-07-18',
                      '2024-07-19',
                      '2024-07-20',
                      '2024-07-21',
                      '2024-07-22',
                      '2024-07-23',
                      '2024-07-24',
                      '2024-07-25',
                      '2024-07-26',
                      '2024-07-27',
                      '2024-07-28',
                      '2024-07-29',
                      '2024-07-30',
                      '2024-07-31',
                      '2024-08-01',
                      '2024-08-02',
                      '2024-08-03',
                      '2024-08-04',
                      '2024-08-05',
                      '2024-08-06',
                      '2024-08-07',
                      '2024-08-08',
                      '2024-08-09',
                      '2024-08-10',
                      '2024-08-11',
                      '2024-08-12',
                      '2024-08-13',
                      '2024-08-14',
                      '2024-08-15',
                      '2024-08-16',
                      '2024-08-17',
                      '2024-08-18',
                      '2024-08-19',
                      '2024-08-20',
                      '2024-08-21',
                      '2024-08-22',
                      '2024-08-23',
                      '2024-08-24',
                      '2024-08-25',
                      '2024-08-26',
                      '2024-08-27',
                      '2024-08-28',
                      '2024-08-29',
                      '2024-08-30',
                      '2024-08-31',
                      '2024-09-01',
                      '2024-09-02',
                      '2024-09-03',
                      '2024-09-04',
                      '2024-09-05',
                      '2024-09-06',
                      '2024-09-07',
                      '2024-09-08',
                      '2024-09-09',
                      '2024-09-10',
                      '2024-09-11',
                      '2024-09-12',
                      '2024-09-13',
                      '2024-09-14',
                      '2024-09-15',
                      '2024-09-16',
                      '2024-09-17',
                      '2024-09-18',
                      '2024-09-19',
                      '2024-09-20',
                      '2024-09-21',
                      '2024-09-22',
                      '2024-09-23',
                      '2024-09-24',
                      '2024-09-25',
                      '2024-09-26',
                      '2024-09-27',
                      '2024-09-28',
                      '2024-09-29',
                      '2024-09-30',
                      '2024-10-01',
                      '2024-10-02',
                      '2024-10-03',
                      '2024-10-04',
                      '2024-10-05',
                      '2024-10-06',
                      '2024-10-07',
                      '2024-10-08',
                      '2024-10-09',
                      '2024-10-10',
                      '2024-10-11',
                      '2024-10-12',
                      '2024-10-13',
                      '2024-10-14',
                      '2024-10-15',
                      '2024-10-16',
                      '2024-10-17',
                      '2024-10-18',
                      '2024-10-19',
                      '2024-10-20',
                      '2024-10-21',
                      '2024-10-22',
                      '2024-10-23',
                      '2024-10-24',
                      '2024-10-25',
                      '2024-10-26',
                      '2024-10-27',
                      '2024-10-28',
                      '2024-10-29',
                      '2024-10-30',
                      '2024-10-31',
                      '2024-11-01',
                      '2024-11-02',
                      '2024-11-03',
                      '2024-11-04',
                      '2024-11-05',
                      '2024-11-06',
                      '2024-11-07',
                      '2024-11-08',
                      '2024-11-09',
                      '2024-11-10',
                      '2024-11-11',
                      '2024-11-12',
                      '2024-11-13',
                      '2024-11-14',
                      '2024-11-15',
                      '2024-11-16',
                      '2024-11-17',
                      '2024-11-18',
                      '2024-11-19',
                      '2024-11-20',
                      '2024-11-21',
                      '2024-11-22',
                      '2024-11-23',
                      '2024-11-24',
                      '2024-11-25',
                      '2024-11-26',
                      '2024-11-27',
                      '2024-11-28',
                      '2024-11-29',
                      '2024-11-30',
                      '2024-12-01',
                      '2024-12-02',
                      '2024-12-03',
                      '2024-12-04',
                      '2024-12-05',
                      '2024-12-06',
                      '2024-12-07',
                      '2024-12-08',
                      '2024-12-09',
                      '2024-12-10',
                      '2024-12-11',
                      '2024-12-12',
                      '2024-12-13',
                      '2024-12-14',
                      '2024-12-15',
                      '2024-12-16',
                      '2024-12-17',
                      '2024-12-18',
                      '2024-12-19',
                      '2024-12-20',
                      '2024-12-21',
                      '2024-12-22',
                      '2024-12-23',
                      '2024-12-24',
                      '2024-12-25',
                      '2024-12-26',
                      '2024-12-27',
                      '2024-12-28',
                      '2024-12-29',
                      '2024-12-30',
                      '2024-12-31',
                      '2025-01-01',
                      '2025-01-02',
                      '2025-01-03',
                      '2025-01-04',
                      '2025-01-05',
                      '2025-01-06',
                      '2025-01-07',
                      '2025-01-08',
                      '2025-01-09',
                      '2025-01-10',
                      '2025-01-11',
                      '2025-01-12',
                      '2025-01-13',
                      '2025-01-14',
                      '2025-01-15',
                      '2025-01-16',
                      '2025-01-17',
                      '2025-01-18',
                      '2025-01-19',
                      '2025-01-20',
                      '2025-01-21',
                      '2025-01-22',
                      '2025-01-23',
                      '2025-01-24',
                      '2025-01-25',
                      '2025-01-26',
                      '2025-01-27',
                      '2025-01-28',
                      '2025-01-29',
                      '2025-01-30',
                      '2025-01-31',
                      '2025-02-01',
                      '2025-02-02',
                      '2025-02-03',
                      '2025-02-04',
                      '2025-02-05',
                      '2025-02-06',
                      '2025-02-07',
                      '2025-02-08',
                      '2025-02-09',
                      '2025-02-10',
                      '2025-02-11',
                      '2025-02-12',
                      '2025-02-13',
                      '2025-02-14',
                      '2025-02-15',
                      '2025-02-16',
                      '2025-02-17',
                      '2025-02-18',
                      '2025-02-19',
                      '2025-02-20',
                      '2025-02-21',
                      '2025-02-22',
                      '2025-02-23',
                      '2025-02-24',
                      '2025-02-25',
                      '2025-02-26',
                      '2025-02-27',
                      '2025-02-28',
                      '2025-03-01',
                      '2025-03-02',
                      '2025-03-03',
                      '2025-03-04',
                      '2025-03-05',
                      '2025-03-06',
                      '2025-03-07',
                      '2025-03-08',
                      '2025-03-09',
                      '2025-03-10',
                      '2025-03-11',
                      '2025-03-12',
                      '2025-03-13',
                      '2025-03-14',
                      '2025-03-15',
                      '2025-03-16',
                      '2025-03-17',
                      '2025-03-18',
                      '2025-03-19',
                      '2025-03-20',
                      '2025-03-21',
                      '2025-03-22',
                      '2025-03-23',
                      '2025-03-24',
                      '2025-03-25',
                      '2025-03-26',
                      '2025-03-27',
                      '2025-03-28',
                      '2025-03-29',
                      '2025-03-30',
                      '2025-03-31',
                      '2025-04-01',
                      '2025-04-02',
                      '2025-04-03',
                      '2025-04-04',
                      '2025-04-05',
                      '2025-04-06',
                      '2025-04-07',
                      '2025-04-08',
                      '2025-04-09',
                      '2025-04-10',
                      '2025-04-11',
                      '2025-04-12',
                      '2025-04-13',
                      '2025-04-14',
                      '2025-04-15',
                      '2025-04-16',
                      '2025-04-17',
                      '2025-04-18',
                      '2025-04-19',
                      '2025-04-20',
                      '2025-04-21',
                      '2025-04-22',
                      '2025-04-23',
                      '2025-04-24',
                      '2025-04-25',
                      '2025-04-26',
                      '2025-04-27',
                      '2025-04-28',
                      '2025-04-29',
                      '2025-04-30',
                      '2025-05-01',
                      '2025-05-02',
                      '2025-05-03',
                      '2025-05-04',
                      '2025-05-05',
                      '2025-05-06',
                      '2025-05-07',
                      '2025-05-08',
                      '2025-05-09',
                      '2025-05-10',
                      '2025-05-11',
                      '2025-05-12',
                      '2025-05-13',
                      '2025-05-14',
                      '2025-05-15',
                      '2025-05-16',
                      '2025-05-17',
                      '2025-05-18',
                      '2025-05-19',
                      '2025-05-20',
                      '2025-05-21',
                      '2025-05-22',
                      '2025-05-23',
                      '2025-05-24',
                      '2025-05-25',
                      '2025-05-26',
                      '2025-05-27',
                      '2025-05-28',
                      '2025-05-29',
                      '2025-05-30',
                      '2025-05-31',
                      '2025-06-01',
                      '2025-06-02',
                      '2025-06-03',
                      '2025-06-04',
                      '2025-06-05',
                      '2025-06-06',
                      '2025-06-07',
                      '2025-06-08',
                      '2025-06-09',
                      '2025-06-10',
                      '2025-06-11',
                      '2025-06-12',
                      '2025-06-13',
                      '2025-06-14',
                      '2025-06-15',
                      '2025-06-16',
                      '2025-06-17',
                      '2025-06-18',
                      '2025-06-19',
                      '2025-06-20',
                      '2025-06-21',
                      '2025-06-22',
                      '2025-06-23',
                      '2025-06-24',
                      '2025-06-25',
                      '2025-06-26',
                      '2025-06-27',
                      '2025-06-28',
                      '2025-06-29',
                      '2025-06-30'
                    ]
                  ) AS "_date"
              ) AS "t6"
            ) AS "t12"
              ON "t12"."date" >= "t25"."start" AND "t12"."date" <= "t25"."end"
          ) AS "t26"
        ) AS "t29"
        INNER JOIN "t19" AS "t21"
          ON "t29"."sid" = "t21"."sid"
          AND "t29"."level" = "t21"."level"
          AND "t29"."unit_id" = "t21"."unit_id"
          AND "t29"."date" >= "t21"."start"
          AND "t29"."date" <= "t21"."end"
      ) AS "t32"
      SEMI JOIN "t8" AS "t4"
        ON "t32"."sch" = "t4"."sch" AND "t32"."date" = "t4"."date"
      LEFT OUTER JOIN (
        SELECT
          "t9"."sid",
          "t9"."sch",
          "t9"."date_value" AS "date",
          "t9"."precedence",
          CASE
            WHEN "t9"."is_absence"
            THEN CASE WHEN (
              "t9"."fraction" * 1
            ) >= 1000000 THEN 1000000 ELSE 0 END
            ELSE 0
          END AS "days_absent",
          CASE
            WHEN "t9"."status_code" = 'excused'
            THEN CASE
              WHEN "t9"."is_absence"
              THEN CASE WHEN (
                "t9"."fraction" * 1
              ) >= 1000000 THEN 1000000 ELSE 0 END
              ELSE 0
            END
            ELSE 0
          END AS "days_excused",
          CASE
            WHEN "t9"."status_code" = 'unexcused'
            THEN CASE
              WHEN "t9"."is_absence"
              THEN CASE WHEN (
                "t9"."fraction" * 1
              ) >= 1000000 THEN 1000000 ELSE 0 END
              ELSE 0
            END
            ELSE 0
          END AS "days_unexcused",
          CASE
            WHEN "t9"."status_code" = 'suspension'
            THEN CASE
              WHEN "t9"."is_absence"
              THEN CASE WHEN (
                "t9"."fraction" * 1
              ) >= 1000000 THEN 1000000 ELSE 0 END
              ELSE 0
            END
            ELSE 0
          END AS "days_suspension",
          CASE WHEN "t9"."is_absence" AND (
            "t9"."fraction" = 1000000
          ) THEN 1 ELSE 0 END AS "wholly_absent"
        FROM (
          SELECT
            "t7".*
            EXCLUDE ("_failed")
          FROM (
            SELECT
              *
            FROM "t13" AS "t1"
            WHERE
              "t1"."_failed" = 0
          ) AS "t7"
        ) AS "t9"
      ) AS "t16"
        ON "t32"."sid" = "t16"."sid"
        AND "t32"."sch" = "t16"."sch"
        AND "t32"."date" = "t16"."date"
    ) AS "t33"
  ) AS "t34"
  GROUP BY
    1,
    2,
    3,
    4
) AS "t35"
WHERE
  "t35"."schools" >= 2

-- pipeline._one_year
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
        *
      FROM "t15" AS "t0"
      WHERE
        "t0"."days" > 0
    ) AS "t4"
    INNER JOIN "t14" AS "t2"
      ON "t4"."sch" = "t2"."sch"
  ) AS "t5"
) AS "t6"
WHERE
  "t6"."_rank" = 0

-- pipeline._one_year
SELECT
  "t21"."sid",
  "t21"."level",
  "t21"."unit_id",
  "t21"."grade",
  "t21"."days_enrolled",
  "t21"."days_absent",
  "t21"."days_excused",
  "t21"."days_unexcused",
  "t21"."days_suspension",
  "t21"."wholly_absent",
  (
    "t21"."days_enrolled" >= 31
  )
  AND (
    (
      "t21"."days_enrolled" - "t21"."wholly_absent"
    ) >= 1
  ) AS "eligible",
  CASE
    WHEN (
      "t21"."days_enrolled" >= 31
    )
    AND (
      (
        "t21"."days_enrolled" - "t21"."wholly_absent"
      ) >= 1
    )
    THEN (
      "t21"."days_absent" * 10
    ) >= (
      "t21"."days_enrolled" * 1 * 1000000
    )
    ELSE CAST(NULL AS BOOLEAN)
  END AS "chronically_absent",
  CASE
    WHEN (
      "t21"."days_enrolled" >= 31
    )
    AND (
      (
        "t21"."days_enrolled" - "t21"."wholly_absent"
      ) >= 1
    )
    THEN CASE
      WHEN NOT (
        (
          "t21"."days_absent" * 20
        ) >= (
          "t21"."days_enrolled" * 1 * 1000000
        )
      )
      THEN 'satisfactory'
      WHEN NOT (
        (
          "t21"."days_absent" * 10
        ) >= (
          "t21"."days_enrolled" * 1 * 1000000
        )
      )
      THEN 'at_risk'
      WHEN NOT (
        (
          "t21"."days_absent" * 5
        ) >= (
          "t21"."days_enrolled" * 1 * 1000000
        )
      )
      THEN 'moderate'
      ELSE 'severe'
    END
    ELSE CAST(NULL AS TEXT)
  END AS "tier"
FROM (
  SELECT
    "t20"."sid",
    "t20"."level",
    "t20"."unit_id",
    "t4"."grade",
    "t20"."days_enrolled",
    "t20"."days_absent",
    "t20"."days_excused",
    "t20"."days_unexcused",
    "t20"."days_suspension",
    "t20"."wholly_absent"
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
      FROM "t16" AS "t5"
      INNER JOIN (
        SELECT
          *
        FROM "t14" AS "t2"
        WHERE
          "t2"."level" = 'school'
      ) AS "t9"
        ON "t5"."sch" = "t9"."sch"
    ) AS "t12"
    UNION ALL
    SELECT
      *
    FROM (
      SELECT
        *
      FROM (
        SELECT
          "t15"."sid",
          "t15"."level",
          "t15"."unit_id",
          "t15"."days_enrolled" - COALESCE("t11"."extra_days", 0) AS "days_enrolled",
          "t15"."days_absent" - COALESCE("t11"."extra_days_absent", 0) AS "days_absent",
          "t15"."days_excused" - COALESCE("t11"."extra_days_excused", 0) AS "days_excused",
          "t15"."days_unexcused" - COALESCE("t11"."extra_days_unexcused", 0) AS "days_unexcused",
          "t15"."days_suspension" - COALESCE("t11"."extra_days_suspension", 0) AS "days_suspension",
          "t15"."wholly_absent" - COALESCE("t11"."extra_wholly_absent", 0) AS "wholly_absent"
        FROM (
          SELECT
            "t13"."sid",
            "t13"."level",
            "t13"."unit_id",
            SUM("t13"."days_enrolled") AS "days_enrolled",
            SUM("t13"."days_absent") AS "days_absent",
            SUM("t13"."days_excused") AS "days_excused",
            SUM("t13"."days_unexcused") AS "days_unexcused",
            SUM("t13"."days_suspension") AS "days_suspension",
            SUM("t13"."wholly_absent") AS "wholly_absent"
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
            FROM "t16" AS "t5"
            INNER JOIN (
              SELECT
                *
              FROM "t14" AS "t2"
              WHERE
                "t2"."level" <> 'school'
            ) AS "t10"
              ON "t5"."sch" = "t10"."sch"
          ) AS "t13"
          GROUP BY
            1,
            2,
            3
        ) AS "t15"
        LEFT OUTER JOIN (
          SELECT
            "t3"."sid",
            "t3"."level",
            "t3"."unit_id",
            SUM("t3"."extra_days") AS "extra_days",
            SUM("t3"."extra_days_absent") AS "extra_days_absent",
            SUM("t3"."extra_days_excused") AS "extra_days_excused",
            SUM("t3"."extra_days_unexcused") AS "extra_days_unexcused",
            SUM("t3"."extra_days_suspension") AS "extra_days_suspension",
            SUM("t3"."extra_wholly_absent") AS "extra_wholly_absent"
          FROM "t17" AS "t3"
          GROUP BY
            1,
            2,
            3
        ) AS "t11"
          ON "t15"."sid" = "t11"."sid"
          AND "t15"."level" = "t11"."level"
          AND "t15"."unit_id" = "t11"."unit_id"
      ) AS "t16"
    ) AS "t17"
  ) AS "t20"
  INNER JOIN "t18" AS "t4"
    ON "t20"."sid" = "t4"."sid"
    AND "t20"."level" = "t4"."level"
    AND "t20"."unit_id" = "t4"."unit_id"
) AS "t21"
WHERE
  "t21"."days_enrolled" > 0
  AND "t21"."grade" IN ('1', '2', '3', '4', '5', '6', '7', '8', 'K', 'TK')

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
  "t2"."tier",
  CASE
    WHEN (
      "t4"."gender" IS NULL
    ) OR (
      "t4"."gender" = ''
    )
    THEN 'unknown'
    ELSE "t4"."gender"
  END AS "gender"
FROM "t19" AS "t2"
LEFT OUTER JOIN (
  SELECT
    "t1"."sid",
    "t1"."gender"
  FROM "t2" AS "t1"
) AS "t4"
  ON "t2"."sid" = "t4"."sid"

-- stages.group_summary
SELECT
  "t8"."level",
  "t8"."unit_id",
  "t8"."dimension",
  "t8"."group",
  "t8"."eligible_students",
  "t8"."chronically_absent",
  "t8"."satisfactory",
  "t8"."at_risk",
  "t8"."moderate",
  "t8"."severe"
FROM (
  SELECT
    *
  FROM (
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
        FROM "t20" AS "t0"
        GROUP BY
          1,
          2,
          3
      ) AS "t2"
    ) AS "t5"
    UNION ALL
    SELECT
      *
    FROM (
      SELECT
        "t3"."level",
        "t3"."unit_id",
        "t3"."group",
        "t3"."eligible_students",
        "t3"."chronically_absent",
        "t3"."satisfactory",
        "t3"."at_risk",
        "t3"."moderate",
        "t3"."severe",
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
        FROM "t20" AS "t0"
        GROUP BY
          1,
          2,
          3
      ) AS "t3"
    ) AS "t6"
  ) AS "t7"
  UNION ALL
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
      'gender' AS "dimension"
    FROM (
      SELECT
        "t0"."level",
        "t0"."unit_id",
        "t0"."gender" AS "group",
        SUM(CASE WHEN "t0"."eligible" THEN 1 ELSE 0 END) AS "eligible_students",
        SUM(CASE WHEN "t0"."chronically_absent" THEN 1 ELSE 0 END) AS "chronically_absent",
        SUM(CASE WHEN "t0"."tier" = 'satisfactory' THEN 1 ELSE 0 END) AS "satisfactory",
        SUM(CASE WHEN "t0"."tier" = 'at_risk' THEN 1 ELSE 0 END) AS "at_risk",
        SUM(CASE WHEN "t0"."tier" = 'moderate' THEN 1 ELSE 0 END) AS "moderate",
        SUM(CASE WHEN "t0"."tier" = 'severe' THEN 1 ELSE 0 END) AS "severe"
      FROM "t20" AS "t0"
      GROUP BY
        1,
        2,
        3
    ) AS "t1"
  ) AS "t4"
) AS "t8"

-- pipeline._one_year
SELECT
  *
FROM (
  SELECT
    *
  FROM (
    SELECT
      *
    FROM (
      SELECT
        'schools.csv' AS "file",
        "t20"."_refused_record" AS "record",
        CAST(NULL AS TEXT) AS "source_file",
        CAST(NULL AS BIGINT) AS "source_line",
        CASE
          WHEN "t20"."_failed" = 1
          THEN 'school_id'
          WHEN "t20"."_failed" = 2
          THEN 'district_id'
          WHEN "t20"."_failed" = 3
          THEN 'school_id'
          ELSE NULL
        END AS "column",
        CASE
          WHEN "t20"."_failed" = 1
          THEN COALESCE("t11"."school_id", '')
          WHEN "t20"."_failed" = 2
          THEN COALESCE("t11"."district_id", '')
          WHEN "t20"."_failed" = 3
          THEN COALESCE("t11"."school_id", '')
          ELSE NULL
        END AS "value",
        CASE
          WHEN "t20"."_failed" = 1
          THEN 'missing value'
          WHEN "t20"."_failed" = 2
          THEN 'missing value'
          WHEN "t20"."_failed" = 3
          THEN 'duplicate'
          ELSE NULL
        END AS "reason"
      FROM (
        SELECT
          "t3"."_record" AS "_refused_record",
          "t3"."_failed"
        FROM "t0" AS "t3"
        WHERE
          "t3"."_failed" > 0
      ) AS "t20"
      INNER JOIN "raw_schools" AS "t11"
        ON "t20"."_refused_record" = "t11"."_record"
    ) AS "t25"
    UNION ALL
    SELECT
      *
    FROM (
      SELECT
        'students.csv' AS "file",
        "t21"."_refused_record" AS "record",
        CAST(NULL AS TEXT) AS "source_file",
        CAST(NULL AS BIGINT) AS "source_line",
        CASE
          WHEN "t21"."_failed" = 1
          THEN 'student_id'
          WHEN "t21"."_failed" = 2
          THEN 'student_id'
          ELSE NULL
        END AS "column",
        CASE
          WHEN "t21"."_failed" = 1
          THEN COALESCE("t12"."student_id", '')
          WHEN "t21"."_failed" = 2
          THEN COALESCE("t12"."student_id", '')
          ELSE NULL
        END AS "value",
        CASE
          WHEN "t21"."_failed" = 1
          THEN 'missing value'
          WHEN "t21"."_failed" = 2
          THEN 'duplicate'
          ELSE NULL
        END AS "reason"
      FROM (
        SELECT
          "t5"."_record" AS "_refused_record",
          "t5"."_failed"
        FROM "t1" AS "t5"
        WHERE
          "t5"."_failed" > 0
      ) AS "t21"
      INNER JOIN "raw_students" AS "t12"
        ON "t21"."_refused_record" = "t12"."_record"
    ) AS "t26"
  ) AS "t29"
  UNION ALL
  SELECT
    *
  FROM (
    SELECT
      'calendar.csv' AS "file",
      "t19"."_refused_record" AS "record",
      CAST(NULL AS TEXT) AS "source_file",
      CAST(NULL AS BIGINT) AS "source_line",
      CASE
        WHEN "t19"."_failed" = 1
        THEN 'school_id'
        WHEN "t19"."_failed" = 2
        THEN 'date'
        WHEN "t19"."_failed" = 3
        THEN 'date'
        WHEN "t19"."_failed" = 4
        THEN 'school_id'
        ELSE NULL
      END AS "column",
      CASE
        WHEN "t19"."_failed" = 1
        THEN COALESCE("t10"."school_id", '')
        WHEN "t19"."_failed" = 2
        THEN COALESCE("t10"."date", '')
        WHEN "t19"."_failed" = 3
        THEN COALESCE("t10"."date", '')
        WHEN "t19"."_failed" = 4
        THEN COALESCE("t10"."school_id", '')
        ELSE NULL
      END AS "value",
      CASE
        WHEN "t19"."_failed" = 1
        THEN 'missing value'
        WHEN "t19"."_failed" = 2
        THEN 'missing value'
        WHEN "t19"."_failed" = 3
        THEN 'invalid date'
        WHEN "t19"."_failed" = 4
        THEN 'unknown school'
        ELSE NULL
      END AS "reason"
    FROM (
      SELECT
        "t1"."_record" AS "_refused_record",
        "t1"."_failed"
      FROM "t6" AS "t1"
      WHERE
        "t1"."_failed" > 0
    ) AS "t19"
    INNER JOIN "raw_calendar" AS "t10"
      ON "t19"."_refused_record" = "t10"."_record"
  ) AS "t24"
) AS "t31"
UNION ALL
SELECT
  *
FROM (
  SELECT
    *
  FROM (
    SELECT
      *
    FROM (
      SELECT
        'calendar.csv' AS "file",
        "t22"."_refused_record" AS "record",
        CAST(NULL AS TEXT) AS "source_file",
        CAST(NULL AS BIGINT) AS "source_line",
        CASE WHEN "t22"."_failed" = 1 THEN 'date' ELSE NULL END AS "column",
        CASE WHEN "t22"."_failed" = 1 THEN COALESCE("t10"."date", '') ELSE NULL END AS "value",
        CASE WHEN "t22"."_failed" = 1 THEN 'duplicate' ELSE NULL END AS "reason"
      FROM (
        SELECT
          "t7"."_record" AS "_refused_record",
          "t7"."_failed"
        FROM "t7" AS "t7"
        WHERE
          "t7"."_failed" > 0
      ) AS "t22"
      INNER JOIN "raw_calendar" AS "t10"
        ON "t22"."_refused_record" = "t10"."_record"
    ) AS "t27"
    UNION ALL
    SELECT
      *
    FROM (
      SELECT
        'enrollments.csv' AS "file",
        "t23"."_refused_record" AS "record",
        CAST(NULL AS TEXT) AS "source_file",
        CAST(NULL AS BIGINT) AS "source_line",
        CASE
          WHEN "t23"."_failed" = 1
          THEN 'student_id'
          WHEN "t23"."_failed" = 2
          THEN 'school_id'
          WHEN "t23"."_failed" = 3
          THEN 'grade'
          WHEN "t23"."_failed" = 4
          THEN 'entry_date'
          WHEN "t23"."_failed" = 5
          THEN 'grade'
          WHEN "t23"."_failed" = 6
          THEN 'entry_date'
          WHEN "t23"."_failed" = 7
          THEN 'exit_date'
          WHEN "t23"."_failed" = 8
          THEN 'student_id'
          WHEN "t23"."_failed" = 9
          THEN 'school_id'
          WHEN "t23"."_failed" = 10
          THEN 'exit_date'
          ELSE NULL
        END AS "column",
        CASE
          WHEN "t23"."_failed" = 1
          THEN COALESCE("t13"."student_id", '')
          WHEN "t23"."_failed" = 2
          THEN COALESCE("t13"."school_id", '')
          WHEN "t23"."_failed" = 3
          THEN COALESCE("t13"."grade", '')
          WHEN "t23"."_failed" = 4
          THEN COALESCE("t13"."entry_date", '')
          WHEN "t23"."_failed" = 5
          THEN COALESCE("t13"."grade", '')
          WHEN "t23"."_failed" = 6
          THEN COALESCE("t13"."entry_date", '')
          WHEN "t23"."_failed" = 7
          THEN COALESCE("t13"."exit_date", '')
          WHEN "t23"."_failed" = 8
          THEN COALESCE("t13"."student_id", '')
          WHEN "t23"."_failed" = 9
          THEN COALESCE("t13"."school_id", '')
          WHEN "t23"."_failed" = 10
          THEN COALESCE("t13"."exit_date", '')
          ELSE NULL
        END AS "value",
        CASE
          WHEN "t23"."_failed" = 1
          THEN 'missing value'
          WHEN "t23"."_failed" = 2
          THEN 'missing value'
          WHEN "t23"."_failed" = 3
          THEN 'missing value'
          WHEN "t23"."_failed" = 4
          THEN 'missing value'
          WHEN "t23"."_failed" = 5
          THEN 'unknown grade'
          WHEN "t23"."_failed" = 6
          THEN 'invalid date'
          WHEN "t23"."_failed" = 7
          THEN 'invalid date'
          WHEN "t23"."_failed" = 8
          THEN 'unknown student'
          WHEN "t23"."_failed" = 9
          THEN 'unknown school'
          WHEN "t23"."_failed" = 10
          THEN 'exit before entry'
          ELSE NULL
        END AS "reason"
      FROM (
        SELECT
          "t8"."_record" AS "_refused_record",
          "t8"."_failed"
        FROM "t4" AS "t8"
        WHERE
          "t8"."_failed" > 0
      ) AS "t23"
      INNER JOIN "raw_enrollments" AS "t13"
        ON "t23"."_refused_record" = "t13"."_record"
    ) AS "t28"
  ) AS "t30"
  UNION ALL
  SELECT
    *
  FROM "t21" AS "t0"
) AS "t32"
