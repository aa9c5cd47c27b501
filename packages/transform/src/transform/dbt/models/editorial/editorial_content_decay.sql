-- How clicks fade with an article's age: clicks and impressions by whole hours since publication,
-- for the publishers that date their articles (EB-NeRD, Adressa).
{%- set rebuilt = rebuilt_publishers() %}
with

impressions as (

    select * from {{ ref('fct_impressions') }}
    where hours_since_publication >= 0 and clicked is not null and {{ rebuilt_filter(rebuilt) }}

),

by_age as (

    -- articles are counted within a publisher, so their ids suffice
    select
        publisher,
        cast(floor(hours_since_publication) as integer) as hours_since_publication,
        count(*) as impressions,
        count(*) filter (where clicked) as clicks,
        count(distinct article_id) as unique_articles

    from impressions
    group by publisher, cast(floor(hours_since_publication) as integer)

),

shared as (

    select
        *,
        clicks / impressions as ctr,
        clicks / sum(clicks) over (partition by publisher) as share_of_clicks

    from by_age

)

select * from shared
