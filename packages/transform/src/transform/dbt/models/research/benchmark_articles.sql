-- One row per article shown by any publisher, numbered, with the time the "most recent" baseline
-- ranks it by: its publication time, or where the publisher does not date its articles (MIND) the
-- first time it was shown. The first showing is never after an impression that shows the article,
-- so neither time tells a baseline anything from after the impression.
{%- set rebuilt = rebuilt_publishers() %}
with

shown as (

    select
        publisher,
        article_id,
        first_shown_at
    from {{ ref('mart_article_performance') }}
    where {{ rebuilt_filter(rebuilt) }}

),

catalogue as (

    select
        publisher,
        article_id,
        published_at
    from {{ ref('dim_articles') }}
    where {{ rebuilt_filter(rebuilt) }}

),

dated as (

    select
        shown.publisher || ':' || shown.article_id as article_key,
        shown.publisher,
        shown.article_id,
        catalogue.published_at,
        shown.first_shown_at,
        coalesce(catalogue.published_at, shown.first_shown_at) as dated_at

    from shown
    left join catalogue
        on shown.publisher = catalogue.publisher
        and shown.article_id = catalogue.article_id

),

numbered as (

    select
        *,
        cast({{ publisher_row_number('article_key', 100000000) }} as integer) as article_number,
        {{ md5_32('article_key') }} as article_hash

    from dated

)

select * from numbered
