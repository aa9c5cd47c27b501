{#
  Every candidate of every labeled split, scored by each baseline. Only what the baseline could
  have known when the impression was shown goes into its score:

  - `score_random`: a seeded hash of (impression, article); also the first tie-break of the others.
  - `score_popular`: the article's clicks in the 24 clock hours before the hour of the impression
    (an impression at 14:35 counts clicks from 14:00 the day before to 13:59:59), over every
    labeled impression of the publisher (every view, for Adressa). The impression's own hour is
    left out: clicks in it may come after the impression.
  - `score_recent`: the article's publication time, newest first (`benchmark_articles.dated_at`).
  - `score_decayed`: ln(1 + popular) - ln 2 * age / half-life, the popularity halved every
    `popularity_half_life_hours` (default 24) of the article's age at the impression.

  Numbers only (`split_number`: the release's `dataset_number * 4` plus 0 train, 1 validation,
  2 test), and a view: stored, it would be one more copy of every candidate; the leaderboard reads
  it once per build.
#}
{{ config(materialized='view') }}
{%- set half_life = var('popularity_half_life_hours', 24) -%}

with

unified as (

    select * from {{ ref('stg_unified_impressions') }}

),

datasets as (

    select * from {{ ref('benchmark_datasets') }}

),

articles as (

    select
        publisher,
        article_id,
        article_number,
        article_hash,
        dated_at
    from {{ ref('benchmark_articles') }}

),

article_hours as (

    select * from {{ ref('benchmark_article_hours') }}

),

adressa_views as (

    select * from {{ ref('benchmark_adressa_impressions') }}
    where has_negatives

),

pool_hours as (

    select * from {{ ref('benchmark_adressa_pool_hours') }}

),

released as (

    -- MIND's and EB-NeRD's labeled candidates
    select
        {{ split_number('datasets.dataset_number', 'unified.split') }} as split_number,
        cast(unified.impression_id as {{ hash_word_type() }}) as impression_number,
        unified.position,
        unified.clicked,
        unified.impression_time,
        articles.article_number,
        articles.article_hash,
        articles.dated_at,
        article_hours.clicks_24h,
        {{ mix32('datasets.dataset_hash', shift_right('impression_number', 32)) }} as id_hash

    from unified
    inner join datasets
        on unified.publisher = datasets.publisher
        and unified.dataset = datasets.dataset
    inner join articles
        on unified.publisher = articles.publisher
        and unified.article_id = articles.article_id
    inner join article_hours
        on articles.article_number = article_hours.article_number
        and {{ epoch_hour('unified.impression_time') }} = article_hours.hour
    where
        unified.publisher <> 'adressa'
        and unified.clicked is not null

),

released_hashed as (

    select
        * {{ except_columns(['id_hash']) }},
        {{ mix32('id_hash', 'impression_number & 4294967295') }} as impression_hash

    from released

),

adressa_slots as (

    -- the clicked article at its place, and the negatives in the order drawn around it; two
    -- branches, so that reading only the clicked candidates never unnests the negatives
    select
        {{ split_number('dataset_number', 'split') }} as split_number,
        impression_number,
        impression_time,
        impression_hash,
        day_id,
        positive_position as position,
        true as clicked,
        article_pool_rank as pool_rank

    from adressa_views

    union all

    select
        split_number,
        impression_number,
        impression_time,
        impression_hash,
        day_id,
        cast(case when slot <= positive_position then slot - 1 else slot end as integer)
            as position,
        false as clicked,
        pool_rank

    from (
        select
            {{ split_number('dataset_number', 'split') }} as split_number,
            impression_number,
            impression_time,
            impression_hash,
            day_id,
            positive_position,
            {{ explode_lists([('negative_pool_ranks', 'pool_rank')], 'slot', base=1) }}

        from adressa_views
    )

),

adressa as (

    select
        adressa_slots.split_number,
        adressa_slots.impression_number,
        adressa_slots.position,
        adressa_slots.clicked,
        adressa_slots.impression_time,
        pool_hours.article_number,
        pool_hours.article_hash,
        pool_hours.dated_at,
        pool_hours.clicks_24h,
        adressa_slots.impression_hash

    from adressa_slots
    inner join pool_hours
        on adressa_slots.day_id = pool_hours.day_id
        and {{ epoch_hour('adressa_slots.impression_time') }} = pool_hours.hour
        and adressa_slots.pool_rank = pool_hours.pool_rank

),

{%- set candidate_columns = [
    'split_number', 'impression_number', 'position', 'clicked', 'impression_time',
    'article_number', 'article_hash', 'dated_at', 'clicks_24h', 'impression_hash',
] %}

candidates as (

    select {{ candidate_columns | join(', ') }} from released_hashed
    union all
    select {{ candidate_columns | join(', ') }} from adressa

),

described as (

    select
        * {{ except_columns(['impression_hash', 'article_hash', 'dated_at']) }},
        greatest(
            {{ epoch_seconds('impression_time') }} - {{ epoch_seconds('dated_at') }}, 0
        ) / 3600.0 as age_hours,
        {{ epoch_seconds('dated_at') }} as dated_epoch,
        {{ mix32('impression_hash', 3) }} as tie_hash,
        article_hash

    from candidates

),

scored as (

    select
        split_number,
        impression_number,
        position,
        clicked,
        article_number,
        impression_time,
        clicks_24h,
        age_hours,
        {{ mix32('tie_hash', 'article_hash') }} as score_random,
        cast(clicks_24h as double) as score_popular,
        dated_epoch as score_recent,
        ln(1 + clicks_24h) - ln(2) * age_hours / {{ half_life }} as score_decayed

    from described

)

select * from scored
