-- One row per article of every publisher's catalogue.
{%- set rebuilt = rebuilt_publishers() %}
with

articles as (

    select * from {{ ref('stg_unified_articles') }}
    where {{ rebuilt_filter(rebuilt) }}

)

select
    article_key,
    publisher,
    article_id,
    title,
    abstract,
    coalesce(category, 'unknown') as category,
    subcategory,
    published_at,
    url

from articles
