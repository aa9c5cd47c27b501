-- Adressa's negatives are drawn from the articles someone had already viewed earlier the same day.
-- One row per release, Oslo day and article viewed that day, numbered in the order of first view:
-- the pool of a view at time t is the ranks whose first view is strictly before t. The last day of
-- each release is its test split, the day before its validation split, the rest train.
{{ config(publisher_key="'adressa'") }}
{%- set rebuilt = rebuilt_publishers() %}
with

views as (

    select
        dataset,
        article_id,
        impression_time
    from {{ ref('stg_unified_impressions') }}
    where publisher = 'adressa' and {{ rebuilt_filter(rebuilt, "'adressa'") }}

),

articles as (

    select
        article_id,
        article_number,
        article_hash,
        dated_at
    from {{ ref('benchmark_articles') }}
    where publisher = 'adressa' and {{ rebuilt_filter(rebuilt, "'adressa'") }}

),

datasets as (

    select
        dataset,
        dataset_number
    from {{ ref('benchmark_datasets') }}
    where publisher = 'adressa' and {{ rebuilt_filter(rebuilt, "'adressa'") }}

),

hourly_first_views as (

    -- an hour lies in one Oslo day (Oslo is whole hours off UTC): the time zone is looked up
    -- per article and hour rather than per view
    select
        dataset,
        article_id,
        date_trunc('hour', impression_time) as utc_hour,
        min(impression_time) as first_viewed_at

    from views
    group by dataset, article_id, utc_hour

),

daily_first_views as (

    select
        dataset,
        article_id,
        {{ oslo_date('utc_hour') }} as view_day,
        min(first_viewed_at) as first_viewed_at

    from hourly_first_views
    group by dataset, article_id, view_day

),

numbered as (

    select
        daily_first_views.dataset,
        daily_first_views.view_day,
        {{ adressa_day_id('datasets.dataset_number', 'daily_first_views.view_day') }} as day_id,
        daily_first_views.article_id,
        articles.article_number,
        articles.article_hash,
        articles.dated_at,
        daily_first_views.first_viewed_at,
        cast(row_number() over (
            partition by daily_first_views.dataset, daily_first_views.view_day
            order by daily_first_views.first_viewed_at, articles.article_number
        ) as integer) as pool_rank,
        dense_rank() over (
            partition by daily_first_views.dataset order by daily_first_views.view_day desc
        ) as days_before_end

    from daily_first_views
    inner join articles
        on daily_first_views.article_id = articles.article_id
    inner join datasets
        on daily_first_views.dataset = datasets.dataset

),

split as (

    select
        * {{ except_columns(['days_before_end']) }},
        case days_before_end
            when 1 then 'test'
            when 2 then 'validation'
            else 'train'
        end as split

    from numbered

)

select * from split
