-- One row per article of every publisher's catalogue.
with

articles as (

    select * from {{ ref('stg_unified_articles') }}

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
