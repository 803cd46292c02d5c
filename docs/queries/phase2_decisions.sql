-- Single-arm phase II over the replicates that ran it: how often the stage was declared promising
-- (summary.json: p_reject_h0), stopped at Simon's first stage (p_early_stop), and the mean
-- response rate per replicate (response_rate_mean; a replicate with nobody treated is left out).
SELECT stage,
       COUNT(*) AS replicates_run,
       AVG(reject) AS p_reject_h0,
       AVG(stopped_early) AS p_early_stop,
       AVG(CAST(responses AS REAL) / NULLIF(treated, 0)) AS response_rate_mean
FROM replicates
WHERE stage_type = 'single_arm' AND status = 'run'
GROUP BY stage
ORDER BY MIN(stage_index);
