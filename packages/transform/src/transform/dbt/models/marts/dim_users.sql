-- One row per user of every publisher: when they were first and last seen, how many impressions
-- they had and how many articles they clicked.
with

impressions as (

    select * from {{ ref('fct_impressions') }}

),

users as (

    select
        user_key,
        publisher,
        user_id,
        min(impression_time) as first_seen_at,
        max(impression_time) as last_seen_at,
        count(distinct impression_key) as impressions,
        count(*) as candidates,
        count(*) filter (where clicked) as clicks,
        count(distinct dataset) as datasets

    from impressions
    group by user_key, publisher, user_id

)

select * from users
