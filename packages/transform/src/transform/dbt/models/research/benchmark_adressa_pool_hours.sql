-- Every article of an Adressa day's pool at every hour of that day in which someone viewed an
-- article, with its clicks (views) in the 24 clock hours before that hour: every Adressa candidate
-- is one of these, so scoring looks up article and popularity in one join on (day, hour, rank)
-- rather than counting clicks per candidate.
{{ config(publisher_key="'adressa'") }}
{%- set rebuilt = rebuilt_publishers() %}
with

pools as (

    select * from {{ ref('benchmark_adressa_pools') }}
    where {{ rebuilt_filter(rebuilt, "'adressa'") }}

),

views as (

    select
        day_id,
        article_number,
        impression_time
    from {{ ref('benchmark_adressa_impressions') }}
    where {{ rebuilt_filter(rebuilt, "'adressa'") }}

),

day_hours as (

    select distinct
        day_id,
        {{ epoch_hour('impression_time') }} as hour
    from views

),

pool_hours as (

    select
        pools.day_id,
        day_hours.hour,
        pools.pool_rank,
        pools.article_number,
        pools.article_hash,
        pools.dated_at

    from pools
    inner join day_hours
        on pools.day_id = day_hours.day_id

),

hourly_clicks as (

    select
        article_number,
        {{ epoch_hour('impression_time') }} as hour,
        count(*) as clicks
    from views
    group by article_number, hour

),

series as (

    select
        article_number,
        hour,
        sum(clicks) as clicks,
        bool_or(is_needed) as is_needed
    from (
        select
            article_number,
            hour,
            0 as clicks,
            true as is_needed
        from pool_hours
        union all
        select
            article_number,
            hour,
            clicks,
            false as is_needed
        from hourly_clicks
    ) as hours_and_clicks
    group by article_number, hour

),

popularity as (

    {{ clicks_in_previous_24_hours('series') }}

),

final as (

    select
        pool_hours.*,
        cast(popularity.clicks_24h as integer) as clicks_24h

    from pool_hours
    inner join popularity
        on pool_hours.article_number = popularity.article_number
        and pool_hours.hour = popularity.hour

)

select * from final
