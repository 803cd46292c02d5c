-- Selection-bias analysis of the single-arm stages with selection_bias = true: relapse-free survival
-- at comparison_days of the treated minus the historical control, with and without IL-2's effect on
-- tumour kill, from transplant and from the landmark, averaged over the replicates (summary.json:
-- selection_bias.<with|without>_effect.difference_from_<origin>.mean). The row without the effect
-- from transplant is the apparent benefit created by selection alone.
SELECT stage, effect, origin,
       COUNT(*) AS replicates,
       AVG(rfs_treated) AS rfs_treated,
       AVG(rfs_control) AS rfs_control,
       AVG(difference) AS difference
FROM selection_bias
GROUP BY stage, effect, origin
ORDER BY MIN(stage_index), effect, origin DESC;
