-- How often each dose level was selected as the MTD across replicates (mtd_level NULL: no MTD).
-- p_select: summary.json's p_select[mtd_level - 1], or p_select_none for the NULL row.
SELECT r.stage,
       r.mtd_level,
       r.mtd_dose,
       COUNT(*) AS replicates,
       COUNT(*) * 1.0 / (SELECT replicates FROM runs) AS p_select
FROM replicates r
WHERE r.stage_type = 'dose_escalation'
GROUP BY r.stage, r.mtd_level
ORDER BY MIN(r.stage_index), r.mtd_level;
