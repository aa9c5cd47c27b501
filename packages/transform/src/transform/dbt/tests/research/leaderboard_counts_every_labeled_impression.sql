-- Every labeled split with impressions has all four baselines on the leaderboard, and each counts
-- every impression of the split exactly once: scored plus skipped is the split's impressions.
with

splits as (

    select * from {{ ref('benchmark_splits') }}
    where is_labeled and impressions > 0

),

leaderboard as (

    select * from {{ ref('benchmark_leaderboard') }}

),

expected as (

    select splits.publisher, splits.dataset, splits.split, splits.impressions, models.model
    from splits
    cross join (values ('random'), ('popular'), ('recent'), ('decayed')) as models (model)

)

select
    expected.*,
    leaderboard.impressions_scored,
    leaderboard.impressions_skipped

from expected
left join leaderboard
    on expected.publisher = leaderboard.publisher
    and expected.dataset = leaderboard.dataset
    and expected.split = leaderboard.split
    and expected.model = leaderboard.model
where leaderboard.model is null
    or leaderboard.impressions_scored + leaderboard.impressions_skipped <> expected.impressions
