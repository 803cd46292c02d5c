-- Power and median hazard ratio of each randomized stage over the replicates that ran it.
-- power: share of replicates whose group-sequential test rejected H0 (summary.json: power).
-- hr_median: R's type-7 median of the per-replicate Cox HR (summary.json: hr_median).
WITH ranked AS (
  SELECT stage, hr,
         ROW_NUMBER() OVER (PARTITION BY stage ORDER BY hr) - 1 AS i,
         COUNT(*) OVER (PARTITION BY stage) AS n
  FROM replicates
  WHERE stage_type = 'randomized' AND status = 'run' AND hr IS NOT NULL
),
position AS (
  SELECT stage, n, (n - 1) * 0.5 AS h, CAST((n - 1) * 0.5 AS INTEGER) AS lo FROM ranked GROUP BY stage
),
median AS (
  SELECT p.stage, a.hr + (p.h - p.lo) * (b.hr - a.hr) AS hr_median
  FROM position p
  JOIN ranked a ON a.stage = p.stage AND a.i = p.lo
  JOIN ranked b ON b.stage = p.stage AND b.i = MIN(p.lo + 1, p.n - 1)
)
SELECT r.stage,
       COUNT(*) AS replicates_run,
       AVG(r.reject) AS power,
       m.hr_median
FROM replicates r
LEFT JOIN median m ON m.stage = r.stage
WHERE r.stage_type = 'randomized' AND r.status = 'run'
GROUP BY r.stage
ORDER BY MIN(r.stage_index);
